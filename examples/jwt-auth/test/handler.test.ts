import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  type AsymmetricTestIssuer,
  apiGatewayV2Event,
  createTestIssuer,
  lambdaContext,
  type SymmetricTestIssuer,
} from '@lift/testing'
import { configFromEnv, issuerOptions } from '../src/config'
import { signTokens } from '../src/demo'
import { createHandler, handler as deployedHandler } from '../src/handler'

const ISSUER = 'https://issuer.test'
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

  it('any other route: 404 problem+json', async () => {
    const result = await get('GET /nope', '/nope')
    expect(result.statusCode).toBe(404)
    expect(body(result)).toMatchObject({ status: 404, code: 'not-found' })
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
  const saved = { ...process.env }
  beforeAll(async () => {
    jwksIssuer = await createTestIssuer({ alg: 'ES256', audience: AUDIENCE })
    Object.assign(process.env, {
      JWT_ISSUER: jwksIssuer.issuer,
      JWT_AUDIENCE: AUDIENCE,
      JWKS_URI: jwksIssuer.jwksUri,
    })
  })
  afterAll(async () => {
    process.env = saved
    await jwksIssuer.close()
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
})
