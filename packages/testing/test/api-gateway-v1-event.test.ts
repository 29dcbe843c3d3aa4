import { describe, expect, it } from '@jest/globals'
import { apiGatewayV1Event, TEST_API_ID } from '../src/index'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const CLF_TIME = /^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/

// Fields of the REST API (payload 1.0) proxy event as the API Gateway developer guide documents them.
const DOCUMENTED_FIELDS = [
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
  'body',
  'isBase64Encoded',
]
const DOCUMENTED_CONTEXT_FIELDS = [
  'accountId',
  'apiId',
  'domainName',
  'domainPrefix',
  'extendedRequestId',
  'httpMethod',
  'identity',
  'path',
  'protocol',
  'requestId',
  'requestTime',
  'requestTimeEpoch',
  'resourceId',
  'resourcePath',
  'stage',
]

describe('apiGatewayV1Event', () => {
  it('describes GET / with exactly the documented fields, empty maps as null', () => {
    const event = apiGatewayV1Event({ timeEpoch: 1583348638390 })
    expect(Object.keys(event).sort()).toEqual([...DOCUMENTED_FIELDS].sort())
    expect(Object.keys(event.requestContext).sort()).toEqual([...DOCUMENTED_CONTEXT_FIELDS].sort())
    expect(event).toMatchObject({
      resource: '/',
      path: '/',
      httpMethod: 'GET',
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
    })
    const context = event.requestContext
    expect(context).toMatchObject({
      accountId: '123456789012',
      apiId: TEST_API_ID,
      domainName: `${TEST_API_ID}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: TEST_API_ID,
      httpMethod: 'GET',
      path: '/prod/',
      protocol: 'HTTP/1.1',
      requestTime: '04/Mar/2020:19:03:58 +0000',
      requestTimeEpoch: 1583348638390,
      resourcePath: '/',
      stage: 'prod',
    })
    expect(context.requestId).toMatch(UUID)
    expect(context.resourceId).toMatch(/^[a-z0-9]{6}$/)
    expect(context.identity.sourceIp).toBe('203.0.113.10')
    expect(context.identity.userAgent).toBeNull()
    expect(event.headers).toMatchObject({
      Host: context.domainName,
      'X-Forwarded-For': '203.0.113.10',
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
    })
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-5e5ffb9e-[0-9a-f]{24}$/)
    for (const [name, value] of Object.entries(event.headers))
      expect(event.multiValueHeaders[name]).toEqual([value])
  })

  it('gives every event its own requestId and time', () => {
    const first = apiGatewayV1Event()
    const second = apiGatewayV1Event()
    expect(first.requestContext.requestId).not.toBe(second.requestContext.requestId)
    expect(CLF_TIME.test(first.requestContext.requestTime ?? '')).toBe(true)
    expect(Math.abs(first.requestContext.requestTimeEpoch - Date.now())).toBeLessThan(60_000)
  })

  it('keeps header names as given; a repeated field has its last value in headers and all in multiValueHeaders', () => {
    const event = apiGatewayV1Event({
      headers: { Accept: ['text/html', 'application/json'], 'user-agent': 'test-agent/1.0' },
    })
    expect(event.headers.Accept).toBe('application/json')
    expect(event.multiValueHeaders.Accept).toEqual(['text/html', 'application/json'])
    expect(event.headers['user-agent']).toBe('test-agent/1.0')
    expect(event.requestContext.identity.userAgent).toBe('test-agent/1.0')
  })

  it('lets a given header replace a default one whatever its case', () => {
    const event = apiGatewayV1Event({
      headers: { host: 'api.example.com', 'x-forwarded-for': '198.51.100.1' },
    })
    expect(event.headers.host).toBe('api.example.com')
    expect(event.headers.Host).toBeUndefined()
    expect(event.headers['X-Forwarded-For']).toBeUndefined()
    expect(event.requestContext.domainName).toBe('api.example.com')
    expect(event.requestContext.domainPrefix).toBe('api')
  })

  it('decodes nothing twice: query values are given decoded and stay so, last value single, all values multi', () => {
    const event = apiGatewayV1Event({ query: { name: 'José Ruiz', tag: ['a&b', 'c=d'] } })
    expect(event.queryStringParameters).toEqual({ name: 'José Ruiz', tag: 'c=d' })
    expect(event.multiValueQueryStringParameters).toEqual({ name: ['José Ruiz'], tag: ['a&b', 'c=d'] })
  })

  it('treats __proto__ and constructor as ordinary header and parameter names', () => {
    const odd = Object.fromEntries([
      ['__proto__', 'p'],
      ['constructor', ['c1', 'c2']],
    ]) as Record<string, string | string[]>
    const event = apiGatewayV1Event({ query: odd, headers: odd })
    for (const map of [event.queryStringParameters!, event.headers]) {
      expect(Object.getPrototypeOf(map)).toBe(Object.prototype)
      expect(Object.getOwnPropertyDescriptor(map, '__proto__')?.value).toBe('p')
      expect(Object.getOwnPropertyDescriptor(map, 'constructor')?.value).toBe('c2')
    }
    expect(
      Object.getOwnPropertyDescriptor(event.multiValueQueryStringParameters, 'constructor')?.value,
    ).toEqual(['c1', 'c2'])
    expect(Object.getOwnPropertyDescriptor(event.multiValueHeaders, '__proto__')?.value).toEqual(['p'])
  })

  it('puts cookies into one Cookie header, after any the caller gave', () => {
    expect(apiGatewayV1Event({ cookies: { session: 'abc', theme: 'dark' } }).headers.Cookie).toBe(
      'session=abc; theme=dark',
    )
    const merged = apiGatewayV1Event({ headers: { cookie: 'first=1' }, cookies: { second: '2' } })
    expect(merged.headers.cookie).toBe('first=1; second=2')
    expect(merged.headers.Cookie).toBeUndefined()
  })

  it('sends an object body as JSON with content-type and content-length', () => {
    const event = apiGatewayV1Event({ method: 'post', body: { message: 'hé' } })
    expect(event.httpMethod).toBe('POST')
    expect(event.requestContext.httpMethod).toBe('POST')
    expect(event.body).toBe('{"message":"hé"}')
    expect(event.isBase64Encoded).toBe(false)
    expect(event.headers['Content-Type']).toBe('application/json')
    expect(event.headers['Content-Length']).toBe(String(Buffer.byteLength('{"message":"hé"}')))
  })

  it('sends a Buffer as base64 with isBase64Encoded, keeping a given content-type', () => {
    const bytes = Buffer.from([0, 255, 1, 254, 10, 13])
    const event = apiGatewayV1Event({ method: 'PUT', body: bytes, headers: { 'Content-Type': 'image/png' } })
    expect(event.isBase64Encoded).toBe(true)
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(bytes)
    expect(event.headers['Content-Type']).toBe('image/png')
    expect(event.headers['Content-Length']).toBe('6')
    const plain = apiGatewayV1Event({ body: new Uint8Array([1, 2, 3]) })
    expect(plain.headers['Content-Type']).toBe('application/octet-stream')
  })

  it('passes a string body already in base64 through when told so', () => {
    const event = apiGatewayV1Event({ body: 'AAEC', isBase64Encoded: true })
    expect(event).toMatchObject({ body: 'AAEC', isBase64Encoded: true })
    expect(event.headers['Content-Length']).toBe('3')
  })

  it('takes resource, path parameters, stage, stage variables, request id and authorizer from the init', () => {
    const event = apiGatewayV1Event({
      method: 'GET',
      path: '/items/42',
      routeKey: 'GET /items/{id}',
      pathParameters: { id: '42' },
      stage: 'dev',
      stageVariables: { table: 'items' },
      requestId: 'fixed-request-id',
      authorizer: { principalId: 'user-1', claims: { sub: 'user-1' } },
      sourceIp: '198.51.100.7',
    })
    expect(event.resource).toBe('/items/{id}')
    expect(event.requestContext.resourcePath).toBe('/items/{id}')
    expect(event.pathParameters).toEqual({ id: '42' })
    expect(event.requestContext.path).toBe('/dev/items/42')
    expect(event.requestContext.stage).toBe('dev')
    expect(event.stageVariables).toEqual({ table: 'items' })
    expect(event.requestContext.requestId).toBe('fixed-request-id')
    expect(event.requestContext.authorizer).toEqual({ principalId: 'user-1', claims: { sub: 'user-1' } })
    expect(event.requestContext.identity.sourceIp).toBe('198.51.100.7')
    expect(apiGatewayV1Event({ path: '/a', resource: '/{proxy+}' }).resource).toBe('/{proxy+}')
    expect(apiGatewayV1Event({ path: '/a', routeKey: '$default' }).resource).toBe('/a')
  })

  it('rejects a path that is not a bare path', () => {
    expect(() => apiGatewayV1Event({ path: 'items' })).toThrow(/must start with '\/'/)
    expect(() => apiGatewayV1Event({ path: '/items?a=1' })).toThrow(/init.query/)
    expect(() => apiGatewayV1Event({ path: '/items#x' })).toThrow(TypeError)
  })
})
