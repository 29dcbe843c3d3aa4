import { describe, expect, it } from '@jest/globals'
import { type HttpRequestView, httpRequestView, isHttpEvent } from '../src/index'
import { type FixtureName, loadEvent } from './fixtures/load-event'

/** Every field of the view as plain data, so one toEqual checks the whole normalization. */
function readAll(view: HttpRequestView) {
  return {
    source: view.source,
    method: view.method,
    path: view.path,
    rawQuery: view.rawQuery,
    query: { ...view.query },
    headers: { ...view.headers },
    cookies: { ...view.cookies },
    pathParameters: { ...view.pathParameters },
    host: view.host,
    sourceIp: view.sourceIp,
    rawBody: view.rawBody?.toString('utf8'),
    requestId: view.requestId,
    routeKey: view.routeKey,
  }
}

function viewOf(name: FixtureName): HttpRequestView {
  const event = loadEvent(name)
  expect(isHttpEvent(event)).toBe(true)
  return httpRequestView(event)
}

describe('httpRequestView on the documented sample events', () => {
  it('API Gateway REST proxy integration (payload 1.0)', () => {
    const view = viewOf('apigw-rest')
    expect(readAll(view)).toEqual({
      source: 'apigw-rest',
      method: 'POST',
      path: '/hello/world',
      rawQuery: 'name=me&multivalueName=you&multivalueName=me',
      query: { name: 'me', multivalueName: 'me' },
      headers: {
        accept: '*/*',
        'accept-encoding': 'gzip, deflate',
        'cache-control': 'no-cache',
        'cloudfront-forwarded-proto': 'https',
        'cloudfront-is-desktop-viewer': 'true',
        'cloudfront-is-mobile-viewer': 'false',
        'cloudfront-is-smarttv-viewer': 'false',
        'cloudfront-is-tablet-viewer': 'false',
        'cloudfront-viewer-country': 'US',
        'content-type': 'application/json',
        headername: 'headerValue',
        host: 'gy415nuibc.execute-api.us-east-1.amazonaws.com',
        'postman-token': '9f583ef0-ed83-4a38-aef3-eb9ce3f7a57f',
        'user-agent': 'PostmanRuntime/2.4.5',
        via: '1.1 d98420743a69852491bbdea73f7680bd.cloudfront.net (CloudFront)',
        'x-amz-cf-id': 'pn-PWIJc6thYnZm5P0NMgOUglL1DYtl0gdeJky8tqsg8iS_sgsKD1A==',
        'x-forwarded-for': '54.240.196.186, 54.182.214.83',
        'x-forwarded-port': '443',
        'x-forwarded-proto': 'https',
      },
      cookies: {},
      pathParameters: { proxy: 'hello/world' },
      host: 'gy415nuibc.execute-api.us-east-1.amazonaws.com',
      sourceIp: '192.168.196.186',
      rawBody: '{\r\n\t"a": 1\r\n}',
      requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33',
      routeKey: 'POST /{proxy+}',
    })
    expect(view.queryValues('multivalueName')).toEqual(['you', 'me'])
    expect(view.header('X-Forwarded-For')).toBe('54.240.196.186, 54.182.214.83')
    // The sample's multiValueHeaders holds an entry with an empty name: not a header, so it is dropped.
    expect(Object.keys(view.headers)).not.toContain('')
  })

  it('API Gateway HTTP API (payload 2.0)', () => {
    const view = viewOf('apigw-http')
    expect(readAll(view)).toEqual({
      source: 'apigw-http',
      method: 'POST',
      path: '/my/path',
      rawQuery: 'parameter1=value1&parameter1=value2&parameter2=value',
      query: { parameter1: 'value2', parameter2: 'value' },
      // Payload 2.0 moves cookies out of the headers; the view puts the cookie header back.
      headers: { header1: 'value1', header2: 'value1,value2', cookie: 'cookie1; cookie2' },
      // The sample's cookies have no '=' (no name=value pair), so there is no named cookie.
      cookies: {},
      pathParameters: { parameter1: 'value1' },
      host: 'id.execute-api.us-east-1.amazonaws.com',
      sourceIp: 'IP',
      rawBody: 'Hello from Lambda',
      requestId: 'id',
      routeKey: '$default',
    })
    expect(view.queryValues('parameter1')).toEqual(['value1', 'value2'])
  })

  it('API Gateway HTTP API with payload format 1.0 reads as the REST shape', () => {
    const view = viewOf('apigw-http-payload-1.0')
    expect(readAll(view)).toEqual({
      source: 'apigw-rest',
      method: 'GET',
      path: '/my/path',
      rawQuery: 'parameter1=value1&parameter1=value2&parameter2=value',
      query: { parameter1: 'value2', parameter2: 'value' },
      headers: { header1: 'value1', header2: 'value1, value2' },
      cookies: {},
      pathParameters: {},
      host: 'id.execute-api.us-east-1.amazonaws.com',
      sourceIp: 'IP',
      rawBody: 'Hello from Lambda!',
      requestId: 'id=',
      routeKey: 'GET /my/path',
    })
  })

  it('ALB, single-value headers (the default target group setting)', () => {
    const view = viewOf('alb')
    expect(readAll(view)).toEqual({
      source: 'alb',
      method: 'GET',
      path: '/',
      rawQuery: 'myKey=val2',
      query: { myKey: 'val2' },
      headers: {
        accept: 'text/html,application/xhtml+xml',
        'accept-language': 'en-US,en;q=0.8',
        'content-type': 'text/plain',
        cookie: 'cookies',
        host: 'lambda-846800462-us-east-2.elb.amazonaws.com',
        'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6)',
        'x-amzn-trace-id': 'Root=1-5bdb40ca-556d8b0c50dc66f0511bf520',
        'x-forwarded-for': '72.21.198.66',
        'x-forwarded-port': '443',
        'x-forwarded-proto': 'https',
      },
      cookies: {},
      pathParameters: {},
      host: 'lambda-846800462-us-east-2.elb.amazonaws.com',
      sourceIp: '72.21.198.66',
      rawBody: 'request_body',
      requestId: 'Root=1-5bdb40ca-556d8b0c50dc66f0511bf520',
      routeKey: undefined,
    })
  })

  it('ALB with multi-value headers enabled', () => {
    const view = viewOf('alb-multi-value')
    expect(readAll(view)).toEqual({
      source: 'alb',
      method: 'GET',
      path: '/',
      rawQuery: 'myKey=val1&myKey=val2',
      query: { myKey: 'val2' },
      headers: {
        accept: 'text/html,application/xhtml+xml',
        'accept-language': 'en-US,en;q=0.8',
        'content-type': 'text/plain',
        cookie: 'name1=value1; name2=value2',
        host: 'lambda-846800462-us-east-2.elb.amazonaws.com',
        'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6)',
        'x-amzn-trace-id': 'Root=1-5bdb40ca-556d8b0c50dc66f0511bf520',
        'x-forwarded-for': '72.21.198.66',
        'x-forwarded-port': '443',
        'x-forwarded-proto': 'https',
      },
      cookies: { name1: 'value1', name2: 'value2' },
      pathParameters: {},
      host: 'lambda-846800462-us-east-2.elb.amazonaws.com',
      sourceIp: '72.21.198.66',
      rawBody: 'request_body',
      requestId: 'Root=1-5bdb40ca-556d8b0c50dc66f0511bf520',
      routeKey: undefined,
    })
    expect(view.queryValues('myKey')).toEqual(['val1', 'val2'])
  })

  it('Lambda Function URL', () => {
    const view = viewOf('function-url')
    expect(readAll(view)).toEqual({
      source: 'function-url',
      method: 'POST',
      path: '/my/path',
      rawQuery: 'parameter1=value1&parameter1=value2&parameter2=value',
      query: { parameter1: 'value2', parameter2: 'value' },
      headers: { header1: 'value1', header2: 'value1,value2', cookie: 'cookie1; cookie2' },
      cookies: {},
      pathParameters: {},
      host: '<url-id>.lambda-url.us-west-2.on.aws',
      sourceIp: '123.123.123.123',
      rawBody: 'Hello from client!',
      requestId: 'id',
      // Function URLs set routeKey to '$default' only as a placeholder.
      routeKey: undefined,
    })
  })

  it('API Gateway WebSocket MESSAGE event', () => {
    const view = viewOf('websocket-message')
    expect(readAll(view)).toEqual({
      source: 'websocket',
      method: '',
      path: '/',
      rawQuery: '',
      query: {},
      headers: {},
      cookies: {},
      pathParameters: {},
      host: 'dl7ptocha9.execute-api.ap-northeast-1.amazonaws.com',
      sourceIp: '49.105.91.154',
      rawBody: '{\r\n\t"a": 1\r\n}',
      requestId: 'R1knPH17NjMFftw=',
      routeKey: '$default',
    })
  })
})
