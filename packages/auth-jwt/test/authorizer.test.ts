// jwtAuthorizer() on API Gateway authorizer events from @lift/testing's builders (REST TOKEN, REST REQUEST,
// HTTP API payload 2.0), and the principal it hands on read back by jwtAuth({ trustApiGatewayClaims: true }).
import { describe, expect, it } from '@jest/globals'
import {
  apiGatewayV1Event,
  apiGatewayV2Event,
  httpApiAuthorizerEvent,
  httpApiLambdaAuthorizer,
  restLambdaAuthorizer,
  restRequestAuthorizerEvent,
  restTokenAuthorizerEvent,
  TEST_ACCOUNT_ID,
  TEST_API_ID,
  TEST_REGION,
} from '@lift/testing'
import {
  type HttpApiSimpleAuthorizerResult,
  type JwtAuthorizerOptions,
  jwtAuth,
  jwtAuthorizer,
  type RestAuthorizerResult,
} from '../src/index'
import { claims, ISS, NOW, NOW_MS, rsaIssuer, signJwt } from './support/fixtures'
import { testKeys } from './support/keys'
import { app, callEvent, securityEventLog } from './support/run'
import { startServer } from './support/servers'

const log = securityEventLog()

const ARN = `arn:aws:execute-api:${TEST_REGION}:${TEST_ACCOUNT_ID}:${TEST_API_ID}`

const authorizer = (options: Partial<JwtAuthorizerOptions> = {}) =>
  jwtAuthorizer({ issuers: [rsaIssuer()], now: () => NOW_MS, ...options })
const token = (extra: Record<string, unknown> = {}) =>
  signJwt(claims({ roles: ['admin'], scope: 'orders:read', ...extra }))

describe('jwtAuthorizer: REST TOKEN authorizer', () => {
  it('allows a valid token with a stage-wide policy and the principal as a flat context', async () => {
    const jwt = await token({ tenant: 't1' })
    const result = (await authorizer({ tenant: { claim: 'tenant' } })(
      restTokenAuthorizerEvent({ authorizationToken: `Bearer ${jwt}`, method: 'POST', path: '/orders/9' }),
    )) as RestAuthorizerResult
    expect(result.principalId).toBe('user-1')
    expect(result.policyDocument).toEqual({
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${ARN}/prod/*/*` }],
    })
    expect(result.context).toEqual({
      sub: 'user-1',
      iss: ISS,
      tenantId: 't1',
      roles: '["admin"]',
      scopes: '["orders:read"]',
      exp: NOW + 300,
      claims: JSON.stringify(claims({ roles: ['admin'], scope: 'orders:read', tenant: 't1' })),
    })
    // API Gateway accepts only string, number and boolean context values.
    for (const value of Object.values(result.context!))
      expect(['string', 'number', 'boolean']).toContain(typeof value)
    expect(log.reasons()).toEqual(['token-verified'])
  })

  it('takes the bearer scheme in any case, or a bare token', async () => {
    const jwt = await token()
    for (const authorizationToken of [`bearer ${jwt}`, `BEARER  ${jwt}`, jwt]) {
      const result = (await authorizer()(
        restTokenAuthorizerEvent({ authorizationToken }),
      )) as RestAuthorizerResult
      expect(result.policyDocument.Statement[0].Effect).toBe('Allow')
    }
  })

  it("policyResource: 'method' allows only the method called", async () => {
    const event = restTokenAuthorizerEvent({ authorizationToken: `Bearer ${await token()}`, path: '/a/b' })
    const result = (await authorizer({ policyResource: 'method' })(event)) as RestAuthorizerResult
    expect(result.policyDocument.Statement[0].Resource).toBe(event.methodArn)
  })

  it.each<[string, () => Promise<string>, string]>([
    ['no token', async () => '', 'token-missing'],
    ['only the scheme', async () => 'Bearer ', 'token-missing'],
    [
      'a forged signature',
      async () => `Bearer ${await signJwt(claims(), 'RS256', {}, testKeys().rsaOther.privateKey)}`,
      'signature-invalid',
    ],
    ['an expired token', async () => `Bearer ${await token({ exp: NOW - 60 })}`, 'token-expired'],
    [
      'an unlisted issuer',
      async () => `Bearer ${await token({ iss: 'https://evil.example/' })}`,
      'issuer-not-allowed',
    ],
    ['garbage', async () => 'Bearer not.a.jwt', 'token-malformed'],
  ])(
    'attack: %s is Unauthorized (API Gateway: 401), never an Allow',
    async (_name, authorizationToken, reason) => {
      await expect(
        authorizer()(restTokenAuthorizerEvent({ authorizationToken: await authorizationToken() })),
      ).rejects.toThrow(/^Unauthorized$/)
      expect(log.reasons()).toEqual([reason])
    },
  )

  it('an event without authorizationToken is Unauthorized', async () => {
    await expect(authorizer()({ type: 'TOKEN', methodArn: `${ARN}/prod/GET/` })).rejects.toThrow(
      /^Unauthorized$/,
    )
    expect(log.reasons()).toEqual(['token-missing'])
  })

  it('answers from the verified-token cache for a repeated token', async () => {
    const handler = authorizer()
    const event = restTokenAuthorizerEvent({ authorizationToken: `Bearer ${await token()}` })
    await handler(event)
    await handler(event)
    expect(log.reasons()).toEqual(['token-verified', 'token-cached'])
  })

  it('fails closed when keys cannot be fetched: an error that is not Unauthorized (API Gateway: 500)', async () => {
    const server = await startServer((_request, response) => response.writeHead(503).end())
    try {
      const handler = authorizer({
        issuers: [{ issuer: ISS, audience: 'api', algorithms: ['RS256'], jwksUri: server.url }],
      })
      const event = restTokenAuthorizerEvent({ authorizationToken: `Bearer ${await token()}` })
      await expect(handler(event)).rejects.toThrow(/^Authentication is unavailable$/)
      expect(log.reasons()).toEqual(['key-source-unavailable'])
    } finally {
      await server.close()
    }
  })
})

describe('jwtAuthorizer: REST REQUEST authorizer', () => {
  const requestEvent = async (path: string, extra: Record<string, unknown> = {}) =>
    restRequestAuthorizerEvent({
      path,
      headers: { Authorization: `Bearer ${await token({ tenant: 't1', ...extra })}` },
    })
  const tenantAuthorizer = () =>
    authorizer({ tenant: { claim: 'tenant', fromRequest: (view) => view.path.split('/')[2] } })

  it('allows a token whose tenant is the one the request names', async () => {
    const result = (await tenantAuthorizer()(
      await requestEvent('/tenants/t1/orders'),
    )) as RestAuthorizerResult
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: `${ARN}/prod/*/*` })
    expect(result.context).toMatchObject({ tenantId: 't1' })
  })

  it("attack: another tenant's token gets an explicit Deny for that method only (API Gateway: 403)", async () => {
    const event = await requestEvent('/tenants/t2/orders')
    const result = (await tenantAuthorizer()(event)) as RestAuthorizerResult
    expect(result).toEqual({
      principalId: 'user-1',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: event.methodArn }],
      },
    })
    expect(log.reasons()).toEqual(['tenant-mismatch'])
  })

  it('reads the token where the token option says (a cookie here)', async () => {
    const jwt = await token()
    const event = restRequestAuthorizerEvent({ cookies: { session: jwt } })
    const result = (await authorizer({ token: { cookie: 'session' } })(event)) as RestAuthorizerResult
    expect(result.policyDocument.Statement[0].Effect).toBe('Allow')
  })

  it('without a token: Unauthorized', async () => {
    await expect(authorizer()(restRequestAuthorizerEvent({}))).rejects.toThrow(/^Unauthorized$/)
  })
})

describe('jwtAuthorizer: HTTP API payload 2.0, simple responses', () => {
  it('answers isAuthorized: true with the context', async () => {
    const event = httpApiAuthorizerEvent({ headers: { authorization: `Bearer ${await token()}` } })
    const result = (await authorizer()(event)) as HttpApiSimpleAuthorizerResult
    expect(result.isAuthorized).toBe(true)
    expect(result.context).toMatchObject({ sub: 'user-1', roles: '["admin"]' })
  })

  it.each<[string, Record<string, string>]>([
    ['no token', {}],
    ['an invalid token', { authorization: 'Bearer a.b.c' }],
  ])('answers isAuthorized: false for %s (API Gateway: 403), without throwing', async (_name, headers) => {
    expect(await authorizer()(httpApiAuthorizerEvent({ headers }))).toEqual({ isAuthorized: false })
  })

  it('throws when the issuer resolver fails (API Gateway: 500)', async () => {
    const handler = authorizer({
      issuers: () => {
        throw new Error('table down')
      },
    })
    const event = httpApiAuthorizerEvent({ headers: { authorization: `Bearer ${await token()}` } })
    await expect(handler(event)).rejects.toThrow(/^Authentication is unavailable$/)
  })
})

describe('jwtAuthorizer: the function behind it', () => {
  const behind = () =>
    app(
      jwtAuth({
        issuers: [rsaIssuer()],
        now: () => NOW_MS,
        trustApiGatewayClaims: true,
        tenant: { claim: 'tenant' },
      }),
    )

  it('REST: jwtAuth({ trustApiGatewayClaims: true }) rebuilds the same principal from the context', async () => {
    const jwt = await token({ tenant: 't1' })
    const result = (await authorizer({ tenant: { claim: 'tenant' } })(
      restTokenAuthorizerEvent({ authorizationToken: `Bearer ${jwt}` }),
    )) as RestAuthorizerResult
    const event = apiGatewayV1Event({ authorizer: restLambdaAuthorizer(result.principalId, result.context) })
    const response = await callEvent(behind(), event)
    expect(response.statusCode).toBe(200)
    expect(JSON.parse(response.body)).toMatchObject({
      id: 'user-1',
      tenantId: 't1',
      roles: ['admin'],
      scopes: ['orders:read'],
    })
    expect(log.reasons()).toEqual(['token-verified', 'apigw-claims'])
  })

  it('HTTP API: the same from requestContext.authorizer.lambda', async () => {
    const jwt = await token({ tenant: 't1' })
    const result = (await authorizer()(
      httpApiAuthorizerEvent({ headers: { authorization: `Bearer ${jwt}` } }),
    )) as HttpApiSimpleAuthorizerResult
    const response = await callEvent(
      behind(),
      apiGatewayV2Event({ authorizer: httpApiLambdaAuthorizer(result.context!) }),
    )
    expect(JSON.parse(response.body)).toMatchObject({ id: 'user-1', tenantId: 't1', roles: ['admin'] })
  })
})

describe('jwtAuthorizer options', () => {
  it.each<[string, unknown, RegExp]>([
    ['no options', undefined, /options are required/],
    ['an unknown option', { issuers: [rsaIssuer()], policyResouce: 'api' }, /unknown option "policyResouce"/],
    [
      'credentialsOptional',
      { issuers: [rsaIssuer()], credentialsOptional: true },
      /unknown option "credentialsOptional"/,
    ],
    [
      'trustApiGatewayClaims',
      { issuers: [rsaIssuer()], trustApiGatewayClaims: true },
      /unknown option "trustApiGatewayClaims"/,
    ],
    ['a bad policyResource', { issuers: [rsaIssuer()], policyResource: 'stage' }, /policyResource/],
    ['an unknown jwks key', { issuers: [rsaIssuer()], jwks: { timeout: 5 } }, /jwks\.timeout/],
  ])('refuses %s at construction', (_name, options, message) => {
    expect(() => jwtAuthorizer(options as JwtAuthorizerOptions)).toThrow(message)
  })

  it('throws on an event that is no authorizer event (a deployment mistake)', async () => {
    await expect(authorizer()(apiGatewayV2Event())).rejects.toThrow(
      /expected an API Gateway authorizer event/,
    )
    await expect(authorizer()(null)).rejects.toThrow(/expected an API Gateway authorizer event/)
    await expect(authorizer()({ type: 'OTHER', methodArn: `${ARN}/prod/GET/` })).rejects.toThrow(
      /authorizer event/,
    )
  })

  it('publishes internal-error and rethrows when something unexpected fails', async () => {
    const handler = authorizer({
      roles: {
        map: () => {
          throw new Error('mapper bug')
        },
      },
    })
    await expect(
      handler(restTokenAuthorizerEvent({ authorizationToken: `Bearer ${await token()}` })),
    ).rejects.toThrow(/mapper bug/)
    expect(log.reasons()).toEqual(['internal-error'])
  })
})
