import { describe, expect, it } from '@jest/globals'
import { apiGatewayV2Event, TEST_API_ID } from '../src/index'

// Fields of the HTTP API payload 2.0 event as the API Gateway developer guide documents them.
const DOCUMENTED_FIELDS = [
  'version',
  'routeKey',
  'rawPath',
  'rawQueryString',
  'cookies',
  'headers',
  'queryStringParameters',
  'requestContext',
  'body',
  'pathParameters',
  'isBase64Encoded',
  'stageVariables',
]
const DOCUMENTED_CONTEXT_FIELDS = [
  'accountId',
  'apiId',
  'domainName',
  'domainPrefix',
  'http',
  'requestId',
  'routeKey',
  'stage',
  'time',
  'timeEpoch',
]

describe('apiGatewayV2Event', () => {
  it('describes GET / with the documented required fields and leaves empty optional maps out', () => {
    const event = apiGatewayV2Event({ timeEpoch: 1583348638390 })
    expect(Object.keys(event).sort()).toEqual(
      [
        'version',
        'routeKey',
        'rawPath',
        'rawQueryString',
        'headers',
        'requestContext',
        'isBase64Encoded',
      ].sort(),
    )
    expect(event).toMatchObject({ version: '2.0', routeKey: '$default', rawPath: '/', rawQueryString: '' })
    expect(Object.keys(event.requestContext).sort()).toEqual([...DOCUMENTED_CONTEXT_FIELDS].sort())
    expect(event.requestContext).toMatchObject({
      accountId: '123456789012',
      apiId: TEST_API_ID,
      domainName: `${TEST_API_ID}.execute-api.us-east-1.amazonaws.com`,
      domainPrefix: TEST_API_ID,
      http: { method: 'GET', path: '/', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10', userAgent: '' },
      routeKey: '$default',
      stage: '$default',
      time: '04/Mar/2020:19:03:58 +0000',
      timeEpoch: 1583348638390,
    })
    expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/)
    for (const name of Object.keys(event.headers)) expect(name).toBe(name.toLowerCase())
    expect(event.headers.host).toBe(event.requestContext.domainName)
  })

  it('fills every documented field when the request has them all', () => {
    const event = apiGatewayV2Event({
      method: 'POST',
      path: '/items/42',
      routeKey: 'POST /items/{id}',
      pathParameters: { id: '42' },
      stageVariables: { table: 'items' },
      query: { a: '1' },
      cookies: { session: 'abc' },
      body: 'hello',
    })
    expect(Object.keys(event).sort()).toEqual([...DOCUMENTED_FIELDS].sort())
    expect(event.routeKey).toBe('POST /items/{id}')
    expect(event.requestContext.routeKey).toBe('POST /items/{id}')
    expect(event.pathParameters).toEqual({ id: '42' })
    expect(event.stageVariables).toEqual({ table: 'items' })
  })

  it('lower-cases header names and joins a repeated field with a comma', () => {
    const event = apiGatewayV2Event({
      headers: { Accept: ['text/html', 'application/json'], 'X-Custom': 'one', 'User-Agent': 'agent/2' },
    })
    expect(event.headers.accept).toBe('text/html,application/json')
    expect(event.headers['x-custom']).toBe('one')
    expect(event.headers.Accept).toBeUndefined()
    expect(event.requestContext.http.userAgent).toBe('agent/2')
  })

  it('carries cookies only in the cookies array, never in a cookie header', () => {
    const event = apiGatewayV2Event({
      headers: { Cookie: 'a=1; b=2' },
      cookies: { session: 'abc' },
    })
    expect(event.cookies).toEqual(['a=1', 'b=2', 'session=abc'])
    expect(event.headers.cookie).toBeUndefined()
  })

  it('percent-encodes the raw query string and joins repeated decoded values with a comma', () => {
    const event = apiGatewayV2Event({ query: { name: 'José Ruiz', tag: ['a', 'b&c'], empty: '' } })
    expect(event.rawQueryString).toBe('name=Jos%C3%A9%20Ruiz&tag=a&tag=b%26c&empty=')
    expect(event.queryStringParameters).toEqual({ name: 'José Ruiz', tag: 'a,b&c', empty: '' })
  })

  it('encodes bodies like the other builders: JSON for objects, base64 for bytes', () => {
    const json = apiGatewayV2Event({ method: 'POST', body: [1, 2] })
    expect(json).toMatchObject({ body: '[1,2]', isBase64Encoded: false })
    expect(json.headers['content-type']).toBe('application/json')
    const bytes = Buffer.from('ff00ff', 'hex')
    const binary = apiGatewayV2Event({ method: 'POST', body: bytes })
    expect(binary.isBase64Encoded).toBe(true)
    expect(Buffer.from(binary.body ?? '', 'base64')).toEqual(bytes)
    expect(binary.headers['content-length']).toBe('3')
  })

  it('uses the given stage, host, source IP, request id and authorizer', () => {
    const event = apiGatewayV2Event({
      stage: 'live',
      host: 'api.example.com',
      sourceIp: '2001:db8::1',
      requestId: 'req-1',
      authorizer: { jwt: { claims: { sub: 'u1' }, scopes: null } },
    })
    expect(event.requestContext).toMatchObject({
      stage: 'live',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      requestId: 'req-1',
      http: { sourceIp: '2001:db8::1' },
    })
    expect(event.headers.host).toBe('api.example.com')
    expect(event.headers['x-forwarded-for']).toBe('2001:db8::1')
    expect((event.requestContext as unknown as { authorizer: unknown }).authorizer).toEqual({
      jwt: { claims: { sub: 'u1' }, scopes: null },
    })
  })
})
