import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { signRequest } from '@lift/request-signing'
import {
  type AsymmetricTestIssuer,
  apiGatewayV2Event,
  createTestIssuer,
  lambdaContext,
  type SecretsManagerServer,
  type SymmetricTestIssuer,
  signedTestEvent,
  startSecretsManagerServer,
} from '@lift/testing'
import { configFromEnv, issuerOptions, serviceSignatureOptions } from '../src/config'
import { signTokens } from '../src/demo'
import { createHandler, handler as deployedHandler } from '../src/handler'

const ISSUER = 'https://issuer.test'
const SERVICE_KEY = Buffer.alloc(32, 1)
const AUDIENCE = 'api'

let issuer: SymmetricTestIssuer
let tokens: Awaited<ReturnType<typeof signTokens>>
let handler: ReturnType<typeof createHandler>

beforeAll(async () => {
  issuer = await createTestIssuer({ alg: 'HS256', issuer: ISSUER, audience: AUDIENCE })
  tokens = await signTokens(issuer)
  handler = createHandler({ issuer: ISSUER, audience: AUDIENCE, secret: issuer.secret })
})

interface Result {
  statusCode: number
  headers: Record<string, string>
  body: string
}

async function get(routeKey: string, path: string, token?: string, pathParameters?: Record<string, string>) {
  const event = apiGatewayV2Event({
    path,
    routeKey,
    ...(pathParameters ? { pathParameters } : {}),
    ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
  })
  return (await handler(event, lambdaContext())) as Result
}
const body = (result: Result) => JSON.parse(result.body)

describe('jwt-auth example', () => {
  it('GET /public needs no token', async () => {
    const result = await get('GET /public', '/public')
    expect(result.statusCode).toBe(200)
    expect(body(result)).toEqual({ message: 'Anyone can read this.' })
  })

  it('GET /me: 401 without a token or with a tampered one, the principal with a valid one', async () => {
    const missing = await get('GET /me', '/me')
    expect(missing.statusCode).toBe(401)
    expect(missing.headers['WWW-Authenticate']).toBe('Bearer')
    const tampered = await get('GET /me', '/me', tokens.tampered)
    expect(tampered.statusCode).toBe(401)
    expect(tampered.headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"')
    expect(tampered.headers['Content-Type']).toBe('application/problem+json')
    expect(body(await get('GET /me', '/me', tokens.bob))).toEqual({
      id: 'bob',
      tenantId: 'acme',
      roles: ['member'],
      scopes: ['orders:read'],
    })
  })

  it('GET /admin/stats: admins only (403 insufficient_scope for members)', async () => {
    expect(body(await get('GET /admin/stats', '/admin/stats', tokens.carol))).toEqual({
      tenantId: 'globex',
      activeUsers: 42,
    })
    const member = await get('GET /admin/stats', '/admin/stats', tokens.dave)
    expect(member.statusCode).toBe(403)
    expect(member.headers['WWW-Authenticate']).toBe('Bearer error="insufficient_scope"')
  })

  it('GET /tenants/{tenantId}/orders: only for the token tenant, even for admins', async () => {
    const route = 'GET /tenants/{tenantId}/orders'
    const own = await get(route, '/tenants/acme/orders', tokens.bob, { tenantId: 'acme' })
    expect(body(own)).toEqual({ tenantId: 'acme', orders: [] })
    expect(
      (await get(route, '/tenants/globex/orders', tokens.alice, { tenantId: 'globex' })).statusCode,
    ).toBe(403)
    expect((await get(route, '/tenants/globex/orders', tokens.dave, { tenantId: 'globex' })).statusCode).toBe(
      200,
    )
  })

  it('POST /service/reports is not served (404) when no service key is configured', async () => {
    const event = signedTestEvent(
      { url: 'https://api.example.com/service/reports', body: '{}', routeKey: 'POST /service/reports' },
      { sign: signRequest, keyId: 'reports-service', key: SERVICE_KEY, alg: 'hmac-sha256' },
    )
    const result = (await handler(event, lambdaContext())) as Result
    expect(result.statusCode).toBe(404)
  })

  it('any other route: 404 problem+json', async () => {
    const result = await get('GET /nope', '/nope')
    expect(result.statusCode).toBe(404)
    expect(body(result)).toMatchObject({ status: 404, code: 'not-found' })
  })
})

describe('POST /service/reports (RFC 9421 signed, no token)', () => {
  let clock = 1_750_000_000_000
  const now = () => clock
  const url = 'https://api.example.com/service/reports'
  const routeKey = 'POST /service/reports'
  const signed = {
    sign: signRequest,
    keyId: 'reports-service',
    key: SERVICE_KEY,
    alg: 'hmac-sha256' as const,
    now,
  }
  const serviceHandler = createHandler({
    issuer: ISSUER,
    audience: AUDIENCE,
    secret: 'unused-hs256-secret-0123456789abcdef',
    service: { keyId: 'reports-service', secret: SERVICE_KEY, maxAgeSec: 3600 },
    now,
  })
  const call = async (event: ReturnType<typeof signedTestEvent>) =>
    (await serviceHandler(event, lambdaContext())) as Result

  it('accepts a signed call, with the key id as principal, and the same signature again within maxAgeSec', async () => {
    const event = signedTestEvent({ url, body: '{"period":"2026-11"}', routeKey }, signed)
    expect(body(await call(event))).toEqual({ caller: 'reports-service', receivedBytes: 20 })
    clock += 3_000_000
    expect((await call(event)).statusCode).toBe(200)
    clock += 700_000 // now older than maxAgeSec (3600 s)
    expect((await call(event)).statusCode).toBe(401)
    clock = 1_750_000_000_000
  })

  it('refuses a changed body, an unsigned call, a bearer token instead, and another key with 401 problem+json', async () => {
    const event = signedTestEvent({ url, body: '{"period":"2026-11"}', routeKey }, signed)
    const changed = await call({ ...event, body: '{"period":"2026-12"}' })
    expect(changed.statusCode).toBe(401)
    expect(changed.headers['Content-Type']).toBe('application/problem+json')
    const unsigned = apiGatewayV2Event({ method: 'POST', path: '/service/reports', body: '{}', routeKey })
    expect((await call(unsigned)).statusCode).toBe(401)
    const bearer = apiGatewayV2Event({
      method: 'POST',
      path: '/service/reports',
      routeKey,
      headers: { authorization: `Bearer ${tokens.alice}` },
    })
    expect((await call(bearer)).statusCode).toBe(401)
    const otherKey = signedTestEvent({ url, body: '{}', routeKey }, { ...signed, key: Buffer.alloc(32, 7) })
    expect((await call(otherKey)).statusCode).toBe(401)
  })
})

describe('configuration', () => {
  it('reads the issuer, the audience and the key source from the environment', () => {
    expect(configFromEnv({ JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', JWT_SECRET_ID: 's' })).toEqual({
      issuer: 'i',
      audience: 'a',
      secretId: 's',
    })
    expect(configFromEnv({ JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', JWKS_URI: 'https://k' })).toEqual({
      issuer: 'i',
      audience: 'a',
      jwksUri: 'https://k',
    })
    expect(() => configFromEnv({ JWT_ISSUER: 'i' })).toThrow(/JWT_AUDIENCE/)
    expect(() => configFromEnv({ JWT_ISSUER: 'i', JWT_AUDIENCE: 'a' })).toThrow(/JWT_SECRET_ID/)
  })

  it('reads the service key id and its Secrets Manager secret id, both or neither', () => {
    const base = { JWT_ISSUER: 'i', JWT_AUDIENCE: 'a', JWT_SECRET_ID: 's' }
    expect(configFromEnv({ ...base, SERVICE_KEY_ID: 'k', SERVICE_SIGNING_SECRET_ID: 'sk' }).service).toEqual({
      keyId: 'k',
      secretId: 'sk',
    })
    expect(() => configFromEnv({ ...base, SERVICE_KEY_ID: 'k' })).toThrow(/SERVICE_SIGNING_SECRET_ID/)
    expect(() => configFromEnv({ ...base, SERVICE_SIGNING_SECRET_ID: 'sk' })).toThrow(/SERVICE_KEY_ID/)
  })

  it('resolves only the configured key id from Secrets Manager, and keeps verifySignature defaults', async () => {
    const options = serviceSignatureOptions({ keyId: 'k', secretId: 'sk' })
    expect(options).not.toHaveProperty('maxAgeSec')
    expect(options).not.toHaveProperty('now')
    expect(await (options.keys as (id: string) => unknown)('someone-else')).toBeUndefined()
  })

  it('maps a secret id to secretRef with HS256 and a JWKS URL to RS256/ES256', () => {
    expect(issuerOptions({ issuer: 'i', audience: 'a', secretId: 's' })).toEqual({
      issuer: 'i',
      audience: 'a',
      algorithms: ['HS256'],
      secretRef: 's',
    })
    expect(issuerOptions({ issuer: 'i', audience: 'a', jwksUri: 'https://k' })).toMatchObject({
      algorithms: ['RS256', 'ES256'],
      jwksUri: 'https://k',
    })
  })
})

describe('the deployed entry point', () => {
  let jwksIssuer: AsymmetricTestIssuer
  let secretsManager: SecretsManagerServer
  const saved = { ...process.env }
  beforeAll(async () => {
    jwksIssuer = await createTestIssuer({ alg: 'ES256', audience: AUDIENCE })
    secretsManager = await startSecretsManagerServer()
    secretsManager.putSecret('jwt-auth/service-key', 'service-hmac-secret-0123456789abcdefghij')
    // The AWS SDK reads its endpoint, region and credentials from the environment: the Secrets Manager
    // stand-in on 127.0.0.1 answers.
    Object.assign(process.env, {
      JWT_ISSUER: jwksIssuer.issuer,
      JWT_AUDIENCE: AUDIENCE,
      JWKS_URI: jwksIssuer.jwksUri,
      SERVICE_KEY_ID: 'reports-service',
      SERVICE_SIGNING_SECRET_ID: 'jwt-auth/service-key',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
      AWS_MAX_ATTEMPTS: '1',
    })
  })
  afterAll(async () => {
    process.env = saved
    await jwksIssuer.close()
    await secretsManager.close()
  })

  it('configures itself from the environment on the first invocation', async () => {
    const token = await jwksIssuer.sign({ sub: 'erin', tenant_id: 'acme', roles: ['member'] })
    const event = apiGatewayV2Event({
      path: '/me',
      routeKey: 'GET /me',
      headers: { authorization: `Bearer ${token}` },
    })
    const result = (await deployedHandler(event, lambdaContext())) as Result
    expect(result.statusCode).toBe(200)
    expect(body(result)).toMatchObject({ id: 'erin', tenantId: 'acme' })
    const again = (await deployedHandler(event, lambdaContext())) as Result
    expect(again.statusCode).toBe(200)
  })

  it('verifies the service route with the HMAC secret from Secrets Manager', async () => {
    const event = signedTestEvent(
      {
        url: 'https://api.example.com/service/reports',
        body: '{"period":"2026-11"}',
        routeKey: 'POST /service/reports',
      },
      {
        sign: signRequest,
        keyId: 'reports-service',
        key: 'service-hmac-secret-0123456789abcdefghij',
        alg: 'hmac-sha256',
      },
    )
    const result = (await deployedHandler(event, lambdaContext())) as Result
    expect([result.statusCode, body(result).caller]).toEqual([200, 'reports-service'])
    expect(secretsManager.requests.map((request) => request.secretId)).toContain('jwt-auth/service-key')
  })
})
