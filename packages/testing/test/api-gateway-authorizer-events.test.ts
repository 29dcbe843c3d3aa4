import { describe, expect, it } from '@jest/globals'
import { httpRequestView } from '@lift/security-core'
import {
  apiGatewayV1Event,
  apiGatewayV2Event,
  httpApiAuthorizerEvent,
  httpApiJwtAuthorizer,
  httpApiLambdaAuthorizer,
  restLambdaAuthorizer,
  restRequestAuthorizerEvent,
  restTokenAuthorizerEvent,
  TEST_ACCOUNT_ID,
  TEST_API_ID,
  TEST_REGION,
} from '../src/index'

const ARN_PREFIX = `arn:aws:execute-api:${TEST_REGION}:${TEST_ACCOUNT_ID}:${TEST_API_ID}`

// Top-level fields of the samples in the API Gateway developer guide ("Input to an API Gateway Lambda
// authorizer" and "Control access to HTTP APIs with AWS Lambda authorizers", payload format 2.0).
const REST_REQUEST_FIELDS = [
  'type',
  'methodArn',
  'resource',
  'path',
  'httpMethod',
  'headers',
  'multiValueHeaders',
  'queryStringParameters',
  'multiValueQueryStringParameters',
  'pathParameters',
  'stageVariables',
  'requestContext',
]
const HTTP_AUTHORIZER_FIELDS = [
  'version',
  'type',
  'routeArn',
  'identitySource',
  'routeKey',
  'rawPath',
  'rawQueryString',
  'cookies',
  'headers',
  'queryStringParameters',
  'requestContext',
  'pathParameters',
  'stageVariables',
]

describe('restTokenAuthorizerEvent', () => {
  it('has exactly type, authorizationToken and methodArn', () => {
    const event = restTokenAuthorizerEvent({
      authorizationToken: 'Bearer abc',
      method: 'post',
      path: '/orders/1',
    })
    expect(event).toEqual({
      type: 'TOKEN',
      authorizationToken: 'Bearer abc',
      methodArn: `${ARN_PREFIX}/prod/POST/orders/1`,
    })
  })

  it('defaults to GET / on prod, and takes a stage', () => {
    expect(restTokenAuthorizerEvent({ authorizationToken: 'x' }).methodArn).toBe(`${ARN_PREFIX}/prod/GET/`)
    expect(restTokenAuthorizerEvent({ authorizationToken: 'x', stage: 'dev' }).methodArn).toBe(
      `${ARN_PREFIX}/dev/GET/`,
    )
  })
})

describe('restRequestAuthorizerEvent', () => {
  it('has the documented fields, no body, and a methodArn naming stage, method and path', () => {
    const event = restRequestAuthorizerEvent({
      method: 'PUT',
      path: '/orders/42',
      headers: { Authorization: 'Bearer abc' },
      query: { q: ['1', '2'] },
      stage: 'test',
    })
    expect(Object.keys(event).sort()).toEqual([...REST_REQUEST_FIELDS].sort())
    expect(event.methodArn).toBe(`${ARN_PREFIX}/test/PUT/orders/42`)
    expect(event.headers).toMatchObject({ Authorization: 'Bearer abc' })
    expect(event.multiValueQueryStringParameters).toEqual({ q: ['1', '2'] })
    expect(event.requestContext).toMatchObject({ stage: 'test', httpMethod: 'PUT', apiId: TEST_API_ID })
  })

  it('reads as a REST request through httpRequestView', () => {
    const view = httpRequestView(restRequestAuthorizerEvent({ headers: { Authorization: 'Bearer abc' } }))
    expect(view.source).toBe('apigw-rest')
    expect(view.header('authorization')).toBe('Bearer abc')
  })
})

describe('httpApiAuthorizerEvent', () => {
  it('has the documented payload 2.0 fields, no body, identitySource from the Authorization header', () => {
    const event = httpApiAuthorizerEvent({
      method: 'DELETE',
      path: '/orders/7',
      routeKey: 'DELETE /orders/{id}',
      headers: { authorization: 'Bearer abc' },
      query: { a: '1' },
      cookies: { c: 'v' },
      pathParameters: { id: '7' },
      stageVariables: { env: 'test' },
    })
    expect(Object.keys(event).sort()).toEqual([...HTTP_AUTHORIZER_FIELDS].sort())
    expect(event).toMatchObject({
      version: '2.0',
      type: 'REQUEST',
      routeArn: `${ARN_PREFIX}/$default/DELETE/orders/7`,
      identitySource: ['Bearer abc'],
      routeKey: 'DELETE /orders/{id}',
    })
    expect(httpRequestView(event).source).toBe('apigw-http')
  })

  it('has an empty identitySource without an Authorization header, or the one given', () => {
    expect(httpApiAuthorizerEvent().identitySource).toEqual([])
    expect(httpApiAuthorizerEvent({ identitySource: ['a', 'b'] }).identitySource).toEqual(['a', 'b'])
  })
})

describe('authorizer values behind an authorizer', () => {
  it('httpApiJwtAuthorizer renders every claim as API Gateway does', () => {
    const authorizer = httpApiJwtAuthorizer(
      {
        sub: 'u',
        exp: 1900000000,
        email_verified: true,
        groups: ['a', 'b'],
        address: { c: 'x' },
        gone: undefined,
      },
      ['orders/read'],
    )
    expect(authorizer).toEqual({
      jwt: {
        claims: {
          sub: 'u',
          exp: '1900000000',
          email_verified: 'true',
          groups: '[a b]',
          address: '{"c":"x"}',
        },
        scopes: ['orders/read'],
      },
    })
    expect(httpApiJwtAuthorizer({ sub: 'u' }).jwt.scopes).toBeNull()
    const event = apiGatewayV2Event({ authorizer })
    expect(event.requestContext).toMatchObject({ authorizer })
  })

  it('httpApiLambdaAuthorizer keeps the context as it is', () => {
    expect(httpApiLambdaAuthorizer({ sub: 'u', n: 1, b: false })).toEqual({
      lambda: { sub: 'u', n: 1, b: false },
    })
  })

  it('restLambdaAuthorizer stringifies the context and adds principalId and integrationLatency', () => {
    const authorizer = restLambdaAuthorizer('u', { n: 3, b: true, s: 'x' })
    expect(authorizer).toEqual({ n: '3', b: 'true', s: 'x', principalId: 'u', integrationLatency: 0 })
    expect(restLambdaAuthorizer('u')).toEqual({ principalId: 'u', integrationLatency: 0 })
    expect(apiGatewayV1Event({ authorizer }).requestContext.authorizer).toEqual(authorizer)
  })
})
