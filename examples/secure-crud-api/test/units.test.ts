// The stack's own small parts, on their edge cases: configuration from the environment, body validation,
// Middy errors turned into problem+json, and the key resolver of the signed route.
import { describe, expect, it } from '@jest/globals'
import { LiftHttpError } from '@lift/security-core'
import { createError } from '@middy/util'
import { configFromEnv, serviceSignatureOptions, tenantIssuers } from '../src/config'
import { problemJsonErrors } from '../src/problem-json'
import { parseExpectedVersion, parseProjectChanges, parseProjectInput } from '../src/projects/validation'

const base = {
  DATA_TABLE_NAME: 'd',
  GUARD_TABLE_NAME: 'g',
  TENANT_ISSUERS: JSON.stringify([
    { tenantId: 'acme', issuer: 'https://i', audience: 'a', jwksUri: 'https://i/jwks' },
  ]),
}

describe('configFromEnv', () => {
  it('reads a full environment', () => {
    const config = configFromEnv({
      ...base,
      SERVICE_CALLERS: JSON.stringify([{ keyId: 'k', tenantId: 'acme', secretId: 's' }]),
      CORS_ORIGINS: 'https://a.example, https://b.example',
      HEALTH_TOKEN_SECRET_ID: 'h',
      POWERTOOLS_SERVICE_NAME: 'svc',
      APP_VERSION: '2.0.0',
      RATE_LIMIT_STORE_TIMEOUT_MS: '1500',
    })
    expect(config).toMatchObject({
      service: 'svc',
      version: '2.0.0',
      serviceCallers: [{ keyId: 'k', tenantId: 'acme', secretId: 's' }],
      corsOrigins: ['https://a.example', 'https://b.example'],
      healthTokenSecretId: 'h',
      rateLimitStoreTimeoutMs: 1500,
    })
  })

  it.each([
    [{ DATA_TABLE_NAME: undefined }, 'DATA_TABLE_NAME must be set'],
    [{ TENANT_ISSUERS: 'not json' }, 'TENANT_ISSUERS must be a JSON array'],
    [{ TENANT_ISSUERS: '[]' }, 'non-empty JSON array'],
    [{ TENANT_ISSUERS: '[null]' }, 'TENANT_ISSUERS[0] needs tenantId'],
    [
      { TENANT_ISSUERS: '[{"tenantId":"t","issuer":"i","audience":"a"}]' },
      'needs exactly one of jwksUri and secretId',
    ],
    [
      {
        TENANT_ISSUERS: '[{"tenantId":"t","issuer":"i","audience":"a","jwksUri":"https://j","secretId":"s"}]',
      },
      'needs exactly one of jwksUri and secretId',
    ],
    [
      { TENANT_ISSUERS: '[{"tenantId":"t","issuer":"i","jwksUri":"https://j"}]' },
      'needs audience, clientId or tokenUse',
    ],
    [
      {
        TENANT_ISSUERS:
          '[{"tenantId":"t","issuer":"i","clientID":"c","tokenUse":"access","jwksUri":"https://j"}]',
      },
      'TENANT_ISSUERS[0]: unknown option "clientID"',
    ],
    [
      { TENANT_ISSUERS: '[{"tenantId":"t","issuer":"i","tokenUse":"refresh","jwksUri":"https://j"}]' },
      'TENANT_ISSUERS[0].tokenUse must be "access" or "id"',
    ],
    [
      {
        TENANT_ISSUERS: '[{"tenantId":"t","issuer":"i","audience":"a","rolesClaim":7,"jwksUri":"https://j"}]',
      },
      'TENANT_ISSUERS[0].rolesClaim must be a non-empty string',
    ],
    [{ SERVICE_CALLERS: '[{"keyId":"k"}]' }, 'SERVICE_CALLERS[0] needs keyId, tenantId and secretId'],
    [{ RATE_LIMIT_STORE_TIMEOUT_MS: 'soon' }, 'RATE_LIMIT_STORE_TIMEOUT_MS must be a positive integer'],
  ])('refuses %j at cold start', (overrides, message) => {
    expect(() => configFromEnv({ ...base, ...overrides })).toThrow(message)
  })

  it('reads a Cognito tenant: app client and token use instead of an audience, roles from cognito:groups', () => {
    const tenant = { tenantId: 'acme', issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_A' }
    const cognito = {
      ...tenant,
      clientId: 'c',
      tokenUse: 'access',
      rolesClaim: 'cognito:groups',
      jwksUri: 'https://j',
    }
    const config = configFromEnv({ ...base, TENANT_ISSUERS: JSON.stringify([cognito]) })
    expect(config.tenants).toEqual([cognito])
    const [issuer] = tenantIssuers(config.tenants)
    expect(issuer).toEqual({
      ...tenant,
      clientId: 'c',
      tokenUse: 'access',
      roles: { claim: 'cognito:groups' },
      algorithms: ['RS256', 'ES256'],
      jwksUri: 'https://j',
    })
  })

  it('maps tenants to pinned issuer entries, by key source', () => {
    expect(
      tenantIssuers([
        { tenantId: 'a', issuer: 'i', audience: 'x', jwksUri: 'https://j' },
        { tenantId: 'b', issuer: 'i2', audience: 'x', secretId: 's' },
        { tenantId: 'c', issuer: 'i3', audience: 'x', secret: 'k'.repeat(32) },
      ]),
    ).toEqual([
      expect.objectContaining({ tenantId: 'a', algorithms: ['RS256', 'ES256'], jwksUri: 'https://j' }),
      expect.objectContaining({ tenantId: 'b', algorithms: ['HS256'], secretRef: 's' }),
      expect.objectContaining({ tenantId: 'c', algorithms: ['HS256'], secret: 'k'.repeat(32) }),
    ])
  })
})

describe('serviceSignatureOptions', () => {
  it('resolves known key ids only, each bound to its tenant; Secrets Manager keys through the provider', async () => {
    const provider = { getRotating: async () => ({ current: 'c'.repeat(32), previous: 'p'.repeat(32) }) }
    const options = serviceSignatureOptions(
      [
        { keyId: 'raw', tenantId: 'acme', secret: 'r'.repeat(32) },
        { keyId: 'managed', tenantId: 'globex', secretId: 'sid' },
      ],
      provider as never,
      undefined,
      { maxAgeSec: 60 },
    )
    const keys = options.keys as (id: string) => unknown
    expect(await keys('raw')).toMatchObject({ principalId: 'raw', tenantId: 'acme', alg: 'hmac-sha256' })
    expect(await keys('managed')).toMatchObject({ principalId: 'managed', tenantId: 'globex' })
    expect(await keys('stranger')).toBeUndefined()
    expect(options.maxAgeSec).toBe(60)
    expect(options.nonce).toBeUndefined()
  })
})

describe('validation', () => {
  it('accepts a valid body and lists every problem of an invalid one', () => {
    expect(parseProjectInput({ name: 'Apollo', description: 'd', status: 'active' })).toEqual({
      name: 'Apollo',
      description: 'd',
      status: 'active',
    })
    const problems = (body: unknown) => {
      try {
        parseProjectInput(body)
        return []
      } catch (error) {
        expect(error).toBeInstanceOf(LiftHttpError)
        return ((error as LiftHttpError).problem.errors as { pointer: string }[]).map((p) => p.pointer)
      }
    }
    expect(problems([])).toEqual([''])
    expect(problems(null)).toEqual([''])
    expect(problems({})).toEqual(['/name'])
    expect(problems({ name: ' ', description: 5, status: 'gone', x: 1 })).toEqual([
      '/x',
      '/name',
      '/description',
      '/status',
    ])
    expect(problems({ name: 'a'.repeat(101), description: 'd'.repeat(1001) })).toEqual([
      '/name',
      '/description',
    ])
  })

  it('needs a version and a change on PATCH', () => {
    expect(parseProjectChanges({ version: 3, name: 'x' })).toEqual({ version: 3, name: 'x' })
    expect(() => parseProjectChanges({ name: 'x' })).toThrow(LiftHttpError)
    expect(() => parseProjectChanges({ version: 0, name: 'x' })).toThrow(LiftHttpError)
    expect(() => parseProjectChanges({ version: 1 })).toThrow(LiftHttpError)
  })

  it('reads ?version= as a positive integer or nothing', () => {
    expect(parseExpectedVersion(undefined)).toBeUndefined()
    expect(parseExpectedVersion('12')).toBe(12)
    for (const bad of ['0', '-1', '1.5', 'abc', '99999999999'])
      expect(() => parseExpectedVersion(bad)).toThrow(LiftHttpError)
  })
})

describe('problemJsonErrors', () => {
  const convert = (error: unknown) => {
    const request = { error } as { error: unknown }
    problemJsonErrors().onError!(request as never)
    return request.error
  }

  it('turns Middy 4xx errors into problem+json, bad JSON into a 400', () => {
    expect(convert(createError(415, 'Unsupported Media Type'))).toMatchObject({
      statusCode: 415,
      code: 'unsupported-media-type',
    })
    expect(
      convert(
        createError(422, 'Invalid or malformed JSON was provided', {
          cause: { package: '@middy/http-json-body-parser' },
        }),
      ),
    ).toMatchObject({ statusCode: 400, code: 'invalid-json' })
    expect(convert(createError(405, 'Method Not Allowed'))).toMatchObject({
      statusCode: 405,
      code: 'bad-request',
    })
  })

  it('leaves Lift errors, 5xx, unexposed and non-HTTP errors alone', () => {
    const lift = new LiftHttpError(409, { code: 'conflict' })
    expect(convert(lift)).toBe(lift)
    const server = createError(503, 'down')
    expect(convert(server)).toBe(server)
    const plain = new Error('boom')
    expect(convert(plain)).toBe(plain)
    expect(convert(null)).toBeNull()
    const unexposed = Object.assign(new Error('x'), { statusCode: 400, expose: false })
    expect(convert(unexposed)).toBe(unexposed)
  })
})
