// jwtAuth({ trustApiGatewayClaims: true }) on events shaped like API Gateway's behind its own authorizers:
// HTTP API JWT authorizer claims (all strings), HTTP API and REST Lambda authorizer context, REST Cognito
// user pool authorizer claims.
import { describe, expect, it } from '@jest/globals'
import {
  apiGatewayV1Event,
  apiGatewayV2Event,
  functionUrlEvent,
  httpApiJwtAuthorizer,
  httpApiLambdaAuthorizer,
  restLambdaAuthorizer,
} from '@lift/testing'
import { cognito, google, type JwtAuthOptions, jwtAuth } from '../src/index'
import { claims, ISS, NOW, NOW_MS, rsaIssuer, signJwt } from './support/fixtures'
import { app, callEvent, securityEventLog } from './support/run'

const log = securityEventLog()

const POOL = 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123'
/** A Cognito user pool access token's claims: no `aud`, `client_id`, `token_use`, `scope`, `cognito:groups`. */
const cognitoAccess = (extra: Record<string, unknown> = {}) => ({
  sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  'cognito:groups': ['admin', 'billing'],
  iss: POOL,
  version: 2,
  client_id: '3n4b5urk1ft4fl3mg5e62d9ado',
  origin_jti: 'b2a5b4c1-0000-4000-8000-000000000000',
  token_use: 'access',
  scope: 'orders/read orders/write',
  auth_time: NOW - 60,
  exp: NOW + 3600,
  iat: NOW - 60,
  jti: 'c1d2e3f4-0000-4000-8000-000000000000',
  username: 'alice',
  ...extra,
})
const cognitoIssuer = { ...rsaIssuer({ issuer: POOL, tokenUse: 'access' }), audience: undefined }

const trusting = (options: Partial<JwtAuthOptions> = {}) =>
  app(
    jwtAuth({
      issuers: [cognitoIssuer, rsaIssuer()],
      roles: { claim: 'cognito:groups' },
      now: () => NOW_MS,
      trustApiGatewayClaims: true,
      ...options,
    }),
  )
const behindJwtAuthorizer = (
  claimSet: Record<string, unknown>,
  init: Parameters<typeof apiGatewayV2Event>[0] = {},
) => apiGatewayV2Event({ ...init, authorizer: httpApiJwtAuthorizer(claimSet, ['orders/read']) })
const body = (response: { body: string }) => JSON.parse(response.body)

describe('trustApiGatewayClaims: true', () => {
  it('HTTP API JWT authorizer: the principal of a Cognito access token, arrays and dates un-stringified', async () => {
    const response = await callEvent(trusting(), behindJwtAuthorizer(cognitoAccess()))
    expect(response.statusCode).toBe(200)
    expect(body(response)).toMatchObject({
      id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      roles: ['admin', 'billing'],
      scopes: ['orders/read', 'orders/write'],
      expiresAt: NOW + 3600,
      claims: { auth_time: NOW - 60, iat: NOW - 60, version: '2', client_id: '3n4b5urk1ft4fl3mg5e62d9ado' },
    })
    expect(log.reasons()).toEqual(['apigw-claims'])
  })

  it('keeps a claim value that API Gateway did not stringify as it is', async () => {
    const authorizer = httpApiJwtAuthorizer(cognitoAccess())
    const event = apiGatewayV2Event({
      authorizer: { jwt: { ...authorizer.jwt, claims: { ...authorizer.jwt.claims, exp: NOW + 60 } } },
    })
    expect(body(await callEvent(trusting(), event))).toMatchObject({ expiresAt: NOW + 60 })
  })

  it('refuses claims past their exp (an authorizer cache entry outliving its token), within the clock tolerance', async () => {
    const expired = await callEvent(trusting(), behindJwtAuthorizer(cognitoAccess({ exp: NOW - 5 })))
    expect(expired.statusCode).toBe(401)
    expect(log.reasons()).toEqual(['token-expired'])
    expect(
      (await callEvent(trusting(), behindJwtAuthorizer(cognitoAccess({ exp: NOW - 4 })))).statusCode,
    ).toBe(200)
  })

  it("applies the issuer's own role and scope rules", async () => {
    const handler = trusting({
      issuers: [{ ...cognitoIssuer, roles: { claim: 'username' }, scopes: { claim: 'client_id' } }],
    })
    const response = await callEvent(handler, behindJwtAuthorizer(cognitoAccess()))
    expect(body(response)).toMatchObject({ roles: ['alice'], scopes: ['3n4b5urk1ft4fl3mg5e62d9ado'] })
  })

  it('attack: claims of an issuer not on the allow-list are refused (401)', async () => {
    const response = await callEvent(
      trusting(),
      behindJwtAuthorizer(cognitoAccess({ iss: 'https://evil.example/' })),
    )
    expect(response.statusCode).toBe(401)
    expect(log.reasons()).toEqual(['issuer-not-allowed'])
  })

  it('applies the tenant rules: an issuer tenant contradicted by the claims is refused', async () => {
    const handler = trusting({
      issuers: [{ ...cognitoIssuer, tenantId: 'acme' }],
      tenant: { claim: 'custom:tenant' },
    })
    const forged = await callEvent(handler, behindJwtAuthorizer(cognitoAccess({ 'custom:tenant': 'globex' })))
    expect(forged.statusCode).toBe(401)
    expect(log.reasons()).toEqual(['tenant-claim-mismatch'])
    const ok = await callEvent(handler, behindJwtAuthorizer(cognitoAccess()))
    expect(body(ok)).toMatchObject({ tenantId: 'acme' })
  })

  it('applies tenant.fromRequest: another tenant named in the path is a 403', async () => {
    const handler = trusting({
      tenant: { claim: 'custom:tenant', fromRequest: (view) => view.pathParameters.tenant },
    })
    const event = behindJwtAuthorizer(cognitoAccess({ 'custom:tenant': 'acme' }), {
      pathParameters: { tenant: 'globex' },
    })
    expect((await callEvent(handler, event)).statusCode).toBe(403)
    expect(log.reasons()).toEqual(['tenant-mismatch'])
  })

  it('applies tenant.required', async () => {
    const response = await callEvent(
      trusting({ tenant: { claim: 'custom:tenant', required: true } }),
      behindJwtAuthorizer(cognitoAccess()),
    )
    expect(response.statusCode).toBe(401)
    expect(log.reasons()).toEqual(['tenant-missing'])
  })

  it("applies the issuer's tokenUse and claims rules, which API Gateway's JWT authorizer does not check", async () => {
    // An HTTP API JWT authorizer accepts a Cognito ID token (its aud is the app client) where the API wants
    // access tokens, and any Google account whatever its Workspace domain.
    const pool = cognito({
      userPoolId: 'us-east-1_AbCdEf123',
      clientId: '3n4b5urk1ft4fl3mg5e62d9ado',
      tokenUse: 'access',
    })
    const workspace = google({ clientId: 'web.apps.googleusercontent.com', hostedDomain: 'example.com' })
    const handler = trusting({ issuers: [pool, workspace] })
    const idToken = cognitoAccess({
      token_use: 'id',
      aud: '3n4b5urk1ft4fl3mg5e62d9ado',
      client_id: undefined,
    })
    expect((await callEvent(handler, behindJwtAuthorizer(idToken))).statusCode).toBe(401)
    const gmail = {
      iss: 'https://accounts.google.com',
      aud: 'web.apps.googleusercontent.com',
      sub: '1',
      exp: NOW + 60,
    }
    expect((await callEvent(handler, behindJwtAuthorizer(gmail))).statusCode).toBe(401)
    const member = await callEvent(handler, behindJwtAuthorizer({ ...gmail, hd: 'example.com' }))
    expect(member.statusCode).toBe(200)
    expect((await callEvent(handler, behindJwtAuthorizer(cognitoAccess()))).statusCode).toBe(200)
    expect(log.reasons()).toEqual(['token-use-mismatch', 'claim-mismatch:hd', 'apigw-claims', 'apigw-claims'])
  })

  it('applies the {tenantid} template rule', async () => {
    const template = 'https://login.microsoftonline.com/{tenantid}/v2.0'
    const handler = trusting({ issuers: [rsaIssuer({ issuer: template })] })
    const iss = 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0'
    const other = await callEvent(handler, behindJwtAuthorizer({ ...claims({ iss }), tid: 'another-tenant' }))
    expect(other.statusCode).toBe(401)
    expect(log.reasons()).toEqual(['issuer-tenant-mismatch'])
  })

  it('looks the issuer up through a resolver', async () => {
    let calls = 0
    const handler = trusting({
      issuers: async (iss) => {
        calls++
        return iss === POOL ? cognitoIssuer : undefined
      },
    })
    expect((await callEvent(handler, behindJwtAuthorizer(cognitoAccess()))).statusCode).toBe(200)
    expect((await callEvent(handler, behindJwtAuthorizer(cognitoAccess()))).statusCode).toBe(200)
    expect(calls).toBe(1)
  })

  it('REST API: a Cognito user pool authorizer’s claims (strings) and a Lambda authorizer’s context', async () => {
    const cognitoRest = apiGatewayV1Event({
      authorizer: { claims: httpApiJwtAuthorizer(cognitoAccess()).jwt.claims },
    })
    expect(body(await callEvent(trusting(), cognitoRest))).toMatchObject({ roles: ['admin', 'billing'] })
    const lambdaRest = apiGatewayV1Event({
      authorizer: restLambdaAuthorizer('u', { claims: JSON.stringify(cognitoAccess()) }),
    })
    expect(body(await callEvent(trusting(), lambdaRest))).toMatchObject({ roles: ['admin', 'billing'] })
  })

  it('REST API: a Cognito user pool authorizer’s claims as AWS renders them (Java dates, comma-joined groups)', async () => {
    // requestContext.authorizer.claims of a REST Cognito authorizer: `exp` and `iat` in Java's Date#toString
    // form, `auth_time` as decimal text, `cognito:groups` joined with commas.
    const javaDate = (sec: number) => {
      const [day, date, month, year, time] = new Date(sec * 1000).toUTCString().replace(',', '').split(' ')
      return `${day} ${month} ${date} ${time} UTC ${year}`
    }
    const rest = (extra: Record<string, string>) =>
      apiGatewayV1Event({
        authorizer: {
          claims: {
            sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
            'cognito:groups': 'admin,billing',
            iss: POOL,
            client_id: '3n4b5urk1ft4fl3mg5e62d9ado',
            token_use: 'access',
            scope: 'orders/read orders/write',
            auth_time: String(NOW - 60),
            exp: javaDate(NOW + 3600),
            iat: javaDate(NOW - 60),
            username: 'alice',
            ...extra,
          },
        },
      })
    expect(javaDate(NOW)).toBe('Fri Jan 15 08:00:00 UTC 2027')
    const response = await callEvent(trusting(), rest({}))
    expect(response.statusCode).toBe(200)
    expect(body(response)).toMatchObject({
      roles: ['admin', 'billing'],
      scopes: ['orders/read', 'orders/write'],
      expiresAt: NOW + 3600,
      claims: { exp: NOW + 3600, iat: NOW - 60, auth_time: NOW - 60 },
    })
    expect(body(await callEvent(trusting(), rest({ 'cognito:groups': 'admin' })))).toMatchObject({
      roles: ['admin'],
    })
    expect((await callEvent(trusting(), rest({ exp: javaDate(NOW - 60) }))).statusCode).toBe(401)
    expect((await callEvent(trusting(), rest({ exp: 'Fri Jan 15 08:00:00 CET 2027' }))).statusCode).toBe(401)
    expect(log.reasons()).toEqual(['apigw-claims', 'apigw-claims', 'token-expired', 'apigw-claims-invalid'])
  })

  it.each<[string, object]>([
    ['JWT claims without sub', behindJwtAuthorizer(cognitoAccess({ sub: undefined }))],
    ['JWT claims with a non-numeric exp', behindJwtAuthorizer(cognitoAccess({ exp: 'soon' }))],
    [
      'JWT claims that are no object',
      apiGatewayV2Event({ authorizer: { jwt: { claims: 'x', scopes: null } } }),
    ],
    [
      'Lambda context claims that are no JSON',
      apiGatewayV2Event({ authorizer: httpApiLambdaAuthorizer({ claims: '{' }) }),
    ],
    [
      'Lambda context claims that are a JSON array',
      apiGatewayV2Event({ authorizer: httpApiLambdaAuthorizer({ claims: '[]' }) }),
    ],
    [
      'Lambda context claims whose exp is infinite',
      apiGatewayV2Event({
        authorizer: httpApiLambdaAuthorizer({ claims: `{"sub":"u","iss":"${POOL}","exp":1e400}` }),
      }),
    ],
    [
      'REST claims without iss',
      apiGatewayV1Event({ authorizer: restLambdaAuthorizer('u', { claims: '{"sub":"u","exp":1}' }) }),
    ],
  ])('refuses %s (401)', async (_name, event) => {
    expect((await callEvent(trusting(), event)).statusCode).toBe(401)
    expect(log.reasons()).toEqual(['apigw-claims-invalid'])
  })

  it('without authorizer claims in the event, verifies the bearer token as usual', async () => {
    const handler = trusting()
    const jwt = await signJwt(claims())
    const withToken = await callEvent(
      handler,
      apiGatewayV2Event({ headers: { authorization: `Bearer ${jwt}` } }),
    )
    expect(withToken.statusCode).toBe(200)
    expect((await callEvent(handler, apiGatewayV2Event())).statusCode).toBe(401)
    // A Lambda authorizer context without claims is not trusted either.
    const other = apiGatewayV2Event({ authorizer: httpApiLambdaAuthorizer({ sub: 'u' }) })
    expect((await callEvent(handler, other)).statusCode).toBe(401)
    expect(log.reasons()).toEqual(['token-verified', 'token-missing', 'token-missing'])
  })

  it('never reads authorizer fields of a Function URL event (no API Gateway in front)', async () => {
    const event = functionUrlEvent() as unknown as { requestContext: Record<string, unknown> }
    event.requestContext.authorizer = httpApiJwtAuthorizer(cognitoAccess())
    expect((await callEvent(trusting(), event)).statusCode).toBe(401)
    expect(log.reasons()).toEqual(['token-missing'])
  })

  it('refuses a non-boolean trustApiGatewayClaims at construction', () => {
    expect(() => jwtAuth({ issuers: [rsaIssuer()], trustApiGatewayClaims: 'yes' as never })).toThrow(
      /trustApiGatewayClaims/,
    )
  })
})

describe('attack: forged requestContext claims without trustApiGatewayClaims', () => {
  const plain = () => app(jwtAuth({ issuers: [cognitoIssuer, rsaIssuer()], now: () => NOW_MS }))

  it('are ignored: no token is a 401 whatever the authorizer fields claim', async () => {
    for (const event of [
      behindJwtAuthorizer(cognitoAccess()),
      apiGatewayV2Event({ authorizer: httpApiLambdaAuthorizer({ claims: JSON.stringify(cognitoAccess()) }) }),
      apiGatewayV1Event({ authorizer: { claims: httpApiJwtAuthorizer(cognitoAccess()).jwt.claims } }),
    ]) {
      expect((await callEvent(plain(), event)).statusCode).toBe(401)
    }
    expect(log.reasons()).toEqual(['token-missing', 'token-missing', 'token-missing'])
  })

  it('do not change the principal of a valid token', async () => {
    const jwt = await signJwt(claims({ sub: 'real-user' }))
    const event = behindJwtAuthorizer(cognitoAccess({ iss: ISS, sub: 'admin' }), {
      headers: { authorization: `Bearer ${jwt}` },
    })
    expect(body(await callEvent(plain(), event))).toMatchObject({ id: 'real-user', roles: [] })
  })
})
