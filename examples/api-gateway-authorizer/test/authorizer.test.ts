// The whole chain as API Gateway runs it, with @lift/testing's event builders: the authorizer on REST
// TOKEN and HTTP API events (issuer keys found by OIDC discovery on a real server on 127.0.0.1), then the
// function behind it on the event API Gateway builds from the authorizer's answer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { HttpApiSimpleAuthorizerResult, RestAuthorizerResult } from '@lift/auth-jwt'
import {
  type AsymmetricTestIssuer,
  apiGatewayV1Event,
  apiGatewayV2Event,
  createTestIssuer,
  httpApiAuthorizerEvent,
  httpApiJwtAuthorizer,
  httpApiLambdaAuthorizer,
  lambdaContext,
  restLambdaAuthorizer,
  restTokenAuthorizerEvent,
} from '@lift/testing'
import { handler as apiHandler, createApi } from '../src/api'
import { handler as authorizerHandler, createAuthorizer } from '../src/authorizer'
import { issuerFromEnv } from '../src/config'

let idp: AsymmetricTestIssuer
beforeAll(async () => {
  idp = await createTestIssuer({ alg: 'RS256', audience: 'orders-api' })
})
afterAll(async () => {
  await idp.close()
})

const issuer = () => issuerFromEnv({ JWT_ISSUER: idp.issuer, JWT_AUDIENCE: 'orders-api' })
const admin = () => idp.sign({ sub: 'alice', 'cognito:groups': ['admin'], scope: 'orders/read' })
const user = () => idp.sign({ sub: 'bob', scope: 'orders/read' })
type Response = { statusCode: number; body: string }

describe('REST API: TOKEN authorizer, then the function behind it', () => {
  it('an admin gets a stage-wide Allow, and the function sees the same principal', async () => {
    const result = (await createAuthorizer(issuer())(
      restTokenAuthorizerEvent({ authorizationToken: `Bearer ${await admin()}`, path: '/admin' }),
    )) as RestAuthorizerResult
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' })
    expect(result.policyDocument.Statement[0].Resource).toMatch(/\/prod\/\*\/\*$/)
    const event = apiGatewayV1Event({
      path: '/admin',
      authorizer: restLambdaAuthorizer(result.principalId, result.context),
    })
    const response = (await createApi(issuer())(event, lambdaContext())) as Response
    expect(response.statusCode).toBe(200)
  })

  it('a user passes the authorizer but is refused GET /admin (403) by authorize()', async () => {
    const result = (await createAuthorizer(issuer())(
      restTokenAuthorizerEvent({ authorizationToken: `Bearer ${await user()}` }),
    )) as RestAuthorizerResult
    const context = restLambdaAuthorizer(result.principalId, result.context)
    const api = createApi(issuer())
    expect(
      ((await api(apiGatewayV1Event({ path: '/admin', authorizer: context }), lambdaContext())) as Response)
        .statusCode,
    ).toBe(403)
    const me = (await api(
      apiGatewayV1Event({ path: '/me', authorizer: context }),
      lambdaContext(),
    )) as Response
    expect(JSON.parse(me.body)).toEqual({ id: 'bob', roles: [], scopes: ['orders/read'] })
  })

  it('attack: a token of another issuer is Unauthorized (API Gateway answers 401)', async () => {
    const other = await createTestIssuer({ alg: 'RS256', audience: 'orders-api' })
    try {
      const event = restTokenAuthorizerEvent({
        authorizationToken: `Bearer ${await other.sign({ sub: 'eve' })}`,
      })
      await expect(createAuthorizer(issuer())(event)).rejects.toThrow(/^Unauthorized$/)
    } finally {
      await other.close()
    }
  })
})

describe('HTTP API: Lambda authorizer (simple responses) and JWT authorizer', () => {
  it('isAuthorized with the principal in context, read back by the function', async () => {
    const result = (await createAuthorizer(issuer())(
      httpApiAuthorizerEvent({ path: '/me', headers: { authorization: `Bearer ${await admin()}` } }),
    )) as HttpApiSimpleAuthorizerResult
    expect(result.isAuthorized).toBe(true)
    const event = apiGatewayV2Event({
      path: '/me',
      routeKey: 'GET /me',
      authorizer: httpApiLambdaAuthorizer(result.context!),
    })
    const response = (await createApi(issuer())(event, lambdaContext())) as Response
    expect(JSON.parse(response.body)).toEqual({ id: 'alice', roles: ['admin'], scopes: ['orders/read'] })
  })

  it('an invalid token is isAuthorized: false (API Gateway answers 403)', async () => {
    const event = httpApiAuthorizerEvent({ headers: { authorization: 'Bearer not.a.token' } })
    expect(await createAuthorizer(issuer())(event)).toEqual({ isAuthorized: false })
  })

  it("behind the HTTP API's own JWT authorizer: the stringified claims are read back", async () => {
    const claims = {
      iss: idp.issuer,
      sub: 'alice',
      aud: 'orders-api',
      exp: Math.floor(Date.now() / 1000) + 300,
      'cognito:groups': ['admin'],
    }
    const event = apiGatewayV2Event({
      path: '/admin',
      routeKey: 'GET /admin',
      authorizer: httpApiJwtAuthorizer(claims),
    })
    expect(((await createApi(issuer())(event, lambdaContext())) as Response).statusCode).toBe(200)
  })

  it('attack: claims of another issuer are refused (401)', async () => {
    const claims = {
      iss: 'https://evil.example/',
      sub: 'alice',
      exp: 1_900_000_000,
      'cognito:groups': ['admin'],
    }
    const event = apiGatewayV2Event({
      path: '/admin',
      routeKey: 'GET /admin',
      authorizer: httpApiJwtAuthorizer(claims),
    })
    expect(((await createApi(issuer())(event, lambdaContext())) as Response).statusCode).toBe(401)
  })
})

describe('routing: the route API Gateway matched, not the raw path', () => {
  // A named HTTP API stage puts /<stage> in rawPath, and a REST API reached through a custom domain's
  // base path mapping puts the base path in `path`; the route key (HTTP API) and resource (REST) do not.
  it('serves GET /me on an HTTP API stage named prod (rawPath /prod/me)', async () => {
    const result = (await createAuthorizer(issuer())(
      httpApiAuthorizerEvent({ path: '/me', headers: { authorization: `Bearer ${await admin()}` } }),
    )) as HttpApiSimpleAuthorizerResult
    const event = apiGatewayV2Event({
      path: '/prod/me',
      routeKey: 'GET /me',
      stage: 'prod',
      authorizer: httpApiLambdaAuthorizer(result.context!),
    })
    const response = (await createApi(issuer())(event, lambdaContext())) as Response
    expect({ status: response.statusCode, body: JSON.parse(response.body) }).toEqual({
      status: 200,
      body: { id: 'alice', roles: ['admin'], scopes: ['orders/read'] },
    })
  })

  it('serves GET /admin on a REST API behind a custom domain mapped at /v1 (path /v1/admin)', async () => {
    const result = (await createAuthorizer(issuer())(
      restTokenAuthorizerEvent({ authorizationToken: `Bearer ${await admin()}` }),
    )) as RestAuthorizerResult
    const event = apiGatewayV1Event({
      path: '/v1/admin',
      resource: '/admin',
      host: 'api.example.com',
      authorizer: restLambdaAuthorizer(result.principalId, result.context),
    })
    expect(((await createApi(issuer())(event, lambdaContext())) as Response).statusCode).toBe(200)
  })
})

describe('entry points', () => {
  it('read JWT_ISSUER and JWT_AUDIENCE, and refuse to start without them', async () => {
    const saved = { ...process.env }
    try {
      delete process.env.JWT_ISSUER
      await expect(authorizerHandler(restTokenAuthorizerEvent({ authorizationToken: 'x' }))).rejects.toThrow(
        /JWT_ISSUER/,
      )
      Object.assign(process.env, { JWT_ISSUER: idp.issuer, JWT_AUDIENCE: 'orders-api' })
      const result = (await authorizerHandler(
        restTokenAuthorizerEvent({ authorizationToken: `Bearer ${await user()}` }),
      )) as RestAuthorizerResult
      const event = apiGatewayV1Event({
        path: '/me',
        authorizer: restLambdaAuthorizer(result.principalId, result.context),
      })
      expect(((await apiHandler(event, lambdaContext())) as Response).statusCode).toBe(200)
      expect(
        ((await apiHandler(apiGatewayV1Event({ path: '/nope' }), lambdaContext())) as Response).statusCode,
      ).toBe(404)
    } finally {
      process.env = saved
    }
  })
})
