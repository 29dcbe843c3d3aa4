// The builders against sample events recorded from AWS (packages/security-core/test/fixtures/README.md names
// each source): the same request, built here and read through httpRequestView, must read as AWS's event does.
// Wherever they differ, every middleware test written with the builder runs on input AWS never sends.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { type HttpRequestView, httpRequestView } from '@lift/security-core'
import {
  albEvent,
  apiGatewayV1Event,
  apiGatewayV2Event,
  functionUrlEvent,
  httpApiAuthorizerEvent,
  restRequestAuthorizerEvent,
} from '../src/index'

function realEvent(name: string): Record<string, unknown> {
  const url = new URL(`../../security-core/test/fixtures/events/${name}.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as Record<string, unknown>
}

/** What a middleware reads, for the header names the real event carries. */
function readable(view: HttpRequestView, headerNames: readonly string[], queryNames: readonly string[]) {
  return {
    source: view.source,
    method: view.method,
    path: view.path,
    rawQuery: view.rawQuery,
    query: { ...view.query },
    queryValues: Object.fromEntries(queryNames.map((name) => [name, view.queryValues(name)])),
    headers: Object.fromEntries(headerNames.map((name) => [name, view.header(name)])),
    cookies: { ...view.cookies },
    pathParameters: { ...view.pathParameters },
    host: view.host,
    sourceIp: view.sourceIp,
    body: view.rawBody?.toString('utf8'),
    routeKey: view.routeKey,
  }
}

/**
 * The headers the client sent: without the X-Forwarded-For the front door wrote, which the builders make from
 * `sourceIp` (and append to a client's own).
 */
function clientHeaders<T>(headers: unknown): Record<string, T> {
  const fields = { ...(headers as Record<string, T>) }
  for (const name of Object.keys(fields)) if (name.toLowerCase() === 'x-forwarded-for') delete fields[name]
  return fields
}

function headerNamesOf(event: Record<string, unknown>): string[] {
  const single = Object.keys((event.headers as Record<string, unknown> | undefined) ?? {})
  const multi = Object.keys((event.multiValueHeaders as Record<string, unknown> | undefined) ?? {})
  return [...new Set([...single, ...multi].filter((name) => name !== ''))]
}

function expectSameRequest(
  real: Record<string, unknown>,
  built: unknown,
  queryNames: readonly string[] = [],
) {
  const names = headerNamesOf(real)
  expect(readable(httpRequestView(built), names, queryNames)).toEqual(
    readable(httpRequestView(real), names, queryNames),
  )
}

describe('apiGatewayV2Event against HTTP API events', () => {
  it('a named stage: AWS puts the stage in rawPath and requestContext.http.path', () => {
    const real = realEvent('apigw-http-named-stage')
    const built = apiGatewayV2Event({
      method: 'POST',
      path: '/my/path',
      stage: 'Prod',
      routeKey: 'Prod',
      host: 'id.execute-api.us-east-1.amazonaws.com',
      headers: { Header1: 'value1', Header2: 'value2' },
      query: { parameter1: ['value1', 'value2'], parameter2: 'value' },
      cookies: { cookie1: 'value1', cookie2: 'value2' },
      body: 'Hello from Lambda',
      pathParameters: { parameter1: 'value1' },
      sourceIp: 'IP',
      requestId: 'id',
    })
    expectSameRequest(real, built, ['parameter1', 'parameter2'])
    expect(built.rawPath).toBe('/Prod/my/path')
    expect(built.requestContext.http.path).toBe('/Prod/my/path')
    expect(built.requestContext.stage).toBe('Prod')
  })

  it('a named stage behind a custom domain: the API mapping selects it, the path has no stage segment', () => {
    const built = apiGatewayV2Event({ path: '/my/path', stage: 'Prod', host: 'api.example.com' })
    expect(built.rawPath).toBe('/my/path')
    expect(built.requestContext.stage).toBe('Prod')
  })

  it('the $default stage adds nothing to the path', () => {
    const real = realEvent('apigw-http')
    const built = apiGatewayV2Event({
      method: 'POST',
      path: '/my/path',
      host: 'id.execute-api.us-east-1.amazonaws.com',
      headers: { Header1: 'value1', Header2: ['value1', 'value2'] },
      query: { parameter1: ['value1', 'value2'], parameter2: 'value' },
      cookies: { cookie1: '', cookie2: '' },
      body: 'Hello from Lambda',
      pathParameters: { parameter1: 'value1' },
      sourceIp: 'IP',
      requestId: 'id',
    })
    const names = headerNamesOf(real)
    const builtView = readable(httpRequestView(built), names, ['parameter1'])
    const realView = readable(httpRequestView(real), names, ['parameter1'])
    // The sample's cookies are bare names ("cookie1"), which a cookies init cannot express.
    expect({ ...builtView, cookies: {} }).toEqual({ ...realView, cookies: {} })
  })

  it('a percent-encoded path: an HTTP API hands it over decoded', () => {
    const real = realEvent('apigw-http-path-with-space')
    const built = apiGatewayV2Event({
      method: 'POST',
      path: '/my/path-with%20space',
      host: 'id.execute-api.us-east-1.amazonaws.com',
      headers: { Header1: 'value1', Header2: 'value2' },
      query: { parameter1: ['value1', 'value2'], parameter2: 'value' },
      cookies: { cookie1: 'value1', cookie2: 'value2' },
      body: 'Hello from Lambda',
      pathParameters: { parameter1: 'value1' },
      sourceIp: 'IP',
      requestId: 'id',
    })
    expectSameRequest(real, built, ['parameter1'])
    expect(built.requestContext.http.path).toBe('/my/path-with space')
    expect(apiGatewayV2Event({ path: '/a%2Fb', stage: 'dev' }).rawPath).toBe('/dev/a/b')
    expect(apiGatewayV2Event({ path: '/100%' }).rawPath).toBe('/100%')
    // REST APIs and Function URLs keep the encoding.
    expect(apiGatewayV1Event({ path: '/a%2Fb' }).path).toBe('/a%2Fb')
    expect(functionUrlEvent({ path: '/a%2Fb' }).rawPath).toBe('/a%2Fb')
  })

  it('an HTTP API Lambda authorizer event has the request fields of the sample, and no body', () => {
    const real = realEvent('apigw-http-authorizer')
    const built = httpApiAuthorizerEvent({
      method: 'POST',
      path: '/my/path',
      headers: { Header1: 'value1' },
      query: { parameter1: 'value1' },
      cookies: { cookie1: 'a' },
      pathParameters: { parameter1: 'value1' },
      stageVariables: { stageVariable1: 'value1' },
    })
    expect(Object.keys(built).sort()).toEqual(Object.keys(real).sort())
  })

  it('an HTTP API authorizer on a named stage: the route ARN names the path without the stage', () => {
    const built = httpApiAuthorizerEvent({ method: 'GET', path: '/request', stage: 'test' })
    expect(built.routeArn).toMatch(/\/test\/GET\/request$/)
    expect(built.rawPath).toBe('/test/request')
  })
})

describe('apiGatewayV1Event against the REST proxy sample', () => {
  it('the same request reads the same; the stage is in requestContext.path only', () => {
    const real = realEvent('apigw-rest')
    const built = apiGatewayV1Event({
      method: 'POST',
      path: '/hello/world',
      stage: 'testStage',
      resource: '/{proxy+}',
      // The sample's X-Forwarded-For is the client's address then CloudFront's (an edge-optimized API).
      headers: { ...clientHeaders<string>(real.headers), 'X-Forwarded-For': '54.240.196.186' },
      query: { name: 'me', multivalueName: ['you', 'me'] },
      body: '{\r\n\t"a": 1\r\n}',
      pathParameters: { proxy: 'hello/world' },
      sourceIp: '192.168.196.186',
      requestId: 'deef4878-7910-11e6-8f14-25afc3e9ae33',
    })
    const withoutForwardedFor = {
      ...real,
      headers: clientHeaders<string>(real.headers),
      multiValueHeaders: clientHeaders<string[]>(real.multiValueHeaders),
    }
    expectSameRequest(withoutForwardedFor, built, ['name', 'multivalueName'])
    expect(built.headers['X-Forwarded-For']).toBe('54.240.196.186, 192.168.196.186')
    expect(built.path).toBe(real.path)
    expect(built.requestContext.path).toBe('/testStage/hello/world')
  })

  it('a REST REQUEST authorizer event has the fields of the sample, and no body', () => {
    const real = realEvent('apigw-rest-request-authorizer')
    const built = restRequestAuthorizerEvent({
      path: '/request',
      stage: 'test',
      headers: { HeaderAuth1: 'headerValue1' },
      query: { QueryString1: 'queryValue1' },
      pathParameters: {},
      stageVariables: { StageVar1: 'stageValue1' },
    })
    expect(Object.keys(built).sort()).toEqual(Object.keys(real).sort())
    expect(built.methodArn).toMatch(/\/test\/GET\/request$/)
    expect(httpRequestView(built).header('headerauth1')).toBe('headerValue1')
  })
})

describe('albEvent against ALB events', () => {
  it('single-value headers', () => {
    const real = realEvent('alb-headers-only')
    const built = albEvent({
      path: '/',
      headers: clientHeaders<string>(real.headers),
      query: { key: 'hello' },
      sourceIp: '25.12.198.67',
    })
    expectSameRequest(real, built, ['key'])
  })

  it('multi-value headers with still-encoded query values and two cookie lines', () => {
    const real = realEvent('alb-multi-value-encoded-query')
    const built = albEvent({
      multiValue: true,
      path: '/',
      headers: clientHeaders<string[]>(real.multiValueHeaders),
      query: { myKey: ['?showAll=true', '?showAll=false'] },
      body: 'request_body',
      sourceIp: '72.21.198.66',
    })
    expectSameRequest(real, built, ['myKey'])
  })

  it('a client that sends X-Forwarded-For: ALB appends the address it saw, which stays the source IP', () => {
    // ALB's default append mode (Elastic Load Balancing guide, "HTTP headers and Application Load Balancers").
    const real = realEvent('alb-headers-only')
    ;(real.headers as Record<string, string>)['x-forwarded-for'] = '6.6.6.6, 25.12.198.67'
    const built = albEvent({ headers: { 'X-Forwarded-For': '6.6.6.6' }, sourceIp: '25.12.198.67' })
    expect(httpRequestView(built).sourceIp).toBe(httpRequestView(real).sourceIp)
    expect(httpRequestView(built).header('x-forwarded-for')).toBe('6.6.6.6, 25.12.198.67')
    const multi = albEvent({
      multiValue: true,
      headers: { 'x-forwarded-for': '6.6.6.6' },
      sourceIp: '25.12.198.67',
    })
    expect(httpRequestView(multi).sourceIp).toBe('25.12.198.67')
  })
})

describe('functionUrlEvent against a Function URL event', () => {
  it('a browser request', () => {
    const real = realEvent('function-url-browser')
    const headers = clientHeaders<string>(real.headers)
    const built = functionUrlEvent({
      path: '/',
      host: '<url-id>.lambda-url.us-east-1.on.aws',
      headers,
      sourceIp: '123.123.123.123',
      requestId: 'id',
    })
    // The sample's queryStringParameters disagree with its empty rawQueryString: compare without them.
    expectSameRequest({ ...real, queryStringParameters: undefined }, built)
  })
})
