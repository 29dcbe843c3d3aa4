// httpRequestView on sample events from independent sources (AWS's own Go event test data, Powertools for AWS
// Lambda, the AWS Lambda Rust runtime; see fixtures/README.md), asserting what a reader of each request expects.
import { describe, expect, it } from '@jest/globals'
import { httpRequestView, isHttpEvent, LiftHttpError } from '../src/index'
import { type FixtureName, loadEvent } from './fixtures/load-event'

function viewOf(name: FixtureName) {
  const event = loadEvent(name)
  expect(isHttpEvent(event)).toBe(true)
  return httpRequestView(event)
}

/** The ALB sample with the X-Forwarded-For value the load balancer would hand over. */
function albWithForwardedFor(forwardedFor: string) {
  const event = loadEvent('alb-headers-only')
  ;(event.headers as Record<string, string>)['x-forwarded-for'] = forwardedFor
  return httpRequestView(event)
}

describe('ALB events (aws-lambda-go, Lambda Rust runtime test data)', () => {
  it('single-value headers: query, headers, source IP, trace id, empty body', () => {
    const view = viewOf('alb-headers-only')
    expect(view.source).toBe('alb')
    expect(view.method).toBe('GET')
    expect(view.path).toBe('/')
    expect(view.query).toEqual({ key: 'hello' })
    expect(view.rawQuery).toBe('key=hello')
    expect(view.header('X-MyHeader')).toBe('123')
    expect(view.header('X-IMForwards')).toBe('20')
    expect(view.host).toBe('lambda-test-alb-1334523864.us-east-1.elb.amazonaws.com')
    expect(view.sourceIp).toBe('25.12.198.67')
    expect(view.requestId).toBe('Root=1-5c34e93e-4dea0086f9763ac0667b115a')
    expect(view.rawBody?.length).toBe(0)
    expect(view.routeKey).toBeUndefined()
  })

  it("the target group's health check carries no Host, X-Forwarded-For or trace id: those read as undefined", () => {
    const view = viewOf('alb-health-check')
    expect(view.method).toBe('GET')
    expect(view.header('user-agent')).toBe('ELB-HealthChecker/2.0')
    expect(view.query).toEqual({})
    expect(view.rawQuery).toBe('')
    expect(view.host).toBeUndefined()
    expect(view.sourceIp).toBeUndefined()
    expect(view.requestId).toBeUndefined()
  })

  it('multi-value headers only (no headers map): every lookup goes through multiValueHeaders', () => {
    const view = viewOf('alb-multi-value-headers-only')
    expect(view.header('user-agent')).toBe('curl/7.54.0')
    expect(view.headers['x-myheader']).toBe('123')
    expect(view.host).toBe('lambda-test-alb-1234567.us-east-1.elb.amazonaws.com')
    expect(view.sourceIp).toBe('72.21.198.67')
    expect(view.query).toEqual({ key: 'hello' })
    expect(view.queryValues('key')).toEqual(['hello'])
  })

  it('query values stay percent-encoded in ALB events: the view decodes them once', () => {
    const view = viewOf('alb-multi-value-encoded-query')
    expect(view.query).toEqual({ myKey: '?showAll=false' })
    expect(view.queryValues('myKey')).toEqual(['?showAll=true', '?showAll=false'])
    expect(view.rawQuery).toBe('myKey=%3FshowAll%3Dtrue&myKey=%3FshowAll%3Dfalse')
    // Both cookie lines of multiValueHeaders, not only the single-value map's last one.
    expect(view.header('cookie')).toBe('name1=value1; name2=value2')
    expect(view.cookies).toEqual({ name1: 'value1', name2: 'value2' })
  })

  it('a client-sent X-Forwarded-For entry is never the source IP: the entry ALB appended is', () => {
    expect(albWithForwardedFor('6.6.6.6, 25.12.198.67').sourceIp).toBe('25.12.198.67')
    expect(albWithForwardedFor('not-an-ip, 6.6.6.6,25.12.198.67').sourceIp).toBe('25.12.198.67')
    expect(albWithForwardedFor('6.6.6.6, 2001:db8::7').sourceIp).toBe('2001:db8::7')
    expect(albWithForwardedFor('25.12.198.67, forged').sourceIp).toBeUndefined()
  })

  it('with routing.http.xff_client_port.enabled ALB appends ip:port: the source IP is the address', () => {
    expect(albWithForwardedFor('25.12.198.67:51234').sourceIp).toBe('25.12.198.67')
    expect(albWithForwardedFor('6.6.6.6, 25.12.198.67:51234').sourceIp).toBe('25.12.198.67')
    expect(albWithForwardedFor('[2001:db8::7]:51234').sourceIp).toBe('2001:db8::7')
    // A port on a client-controlled entry changes nothing; a malformed last entry still gives no address.
    expect(albWithForwardedFor('6.6.6.6:1, 25.12.198.67').sourceIp).toBe('25.12.198.67')
    expect(albWithForwardedFor('25.12.198.67:').sourceIp).toBeUndefined()
    expect(albWithForwardedFor('25.12.198.67:99999').sourceIp).toBeUndefined()
    expect(albWithForwardedFor('[25.12.198.67]:1').sourceIp).toBeUndefined()
    // ALB brackets an IPv6 address before the port; an unbracketed one cannot be split.
    expect(albWithForwardedFor('2001:db8::7:51234').sourceIp).toBeUndefined()
  })
})

describe('HTTP API (payload 2.0) events', () => {
  it('a named stage stays in rawPath, as AWS sends it; cookies come from the cookies array', () => {
    const view = viewOf('apigw-http-named-stage')
    expect(view.source).toBe('apigw-http')
    expect(view.method).toBe('POST')
    expect(view.path).toBe('/Prod/my/path')
    expect(view.routeKey).toBe('Prod')
    expect(view.header('header1')).toBe('value1')
    expect(view.header('HEADER2')).toBe('value2')
    expect(view.cookies).toEqual({ cookie1: 'value1', cookie2: 'value2' })
    expect(view.header('cookie')).toBe('cookie1=value1; cookie2=value2')
    expect(view.queryValues('parameter1')).toEqual(['value1', 'value2'])
    expect(view.rawBody?.toString('utf8')).toBe('Hello from Lambda')
  })

  it('the path as the HTTP API hands it over: already percent-decoded', () => {
    const view = viewOf('apigw-http-path-with-space')
    expect(view.path).toBe('/my/path-with space')
    expect(view.cookies).toEqual({ cookie1: 'value1', cookie2: 'value2' })
  })

  it('a Lambda authorizer request (payload 2.0) reads as an HTTP API request without a body', () => {
    const view = viewOf('apigw-http-authorizer')
    expect(view.source).toBe('apigw-http')
    expect(view.method).toBe('POST')
    expect(view.path).toBe('/my/path')
    expect(view.header('Header1')).toBe('value1')
    expect(view.pathParameters).toEqual({ parameter1: 'value1' })
    expect(view.rawBody).toBeUndefined()
  })
})

describe('API Gateway REST events', () => {
  it('a REQUEST authorizer event reads as the REST request it authorizes, without a body', () => {
    const view = viewOf('apigw-rest-request-authorizer')
    expect(view.source).toBe('apigw-rest')
    expect(view.method).toBe('GET')
    expect(view.path).toBe('/request')
    expect(view.routeKey).toBe('GET /request')
    expect(view.header('headerauth1')).toBe('headerValue1')
    expect(view.header('x-amz-date')).toBe('20170718T062915Z')
    expect(view.query).toEqual({ QueryString1: 'queryValue1' })
    expect(view.pathParameters).toEqual({})
    expect(view.rawBody).toBeUndefined()
  })
})

describe('Lambda Function URL events (Powertools test event, from a browser)', () => {
  it('lower-case headers with quoted values, no cookies, source IP from requestContext.http', () => {
    const view = viewOf('function-url-browser')
    expect(view.source).toBe('function-url')
    expect(view.method).toBe('GET')
    expect(view.path).toBe('/')
    expect(view.header('Sec-CH-UA-Platform')).toBe('"Linux"')
    expect(view.header('x-amzn-tls-version')).toBe('TLSv1.2')
    expect(view.cookies).toEqual({})
    expect(view.header('cookie')).toBeUndefined()
    expect(view.sourceIp).toBe('123.123.123.123')
    expect(view.rawBody).toBeUndefined()
    expect(view.routeKey).toBeUndefined()
  })
})

describe('WebSocket events', () => {
  it('CONNECT is the GET upgrade request, with its headers', () => {
    const view = viewOf('websocket-connect')
    expect(view.source).toBe('websocket')
    expect(view.method).toBe('GET')
    expect(view.routeKey).toBe('$connect')
    expect(view.header('sec-websocket-key')).toBe('+W5xw47OHh3OTFsWKjGu9Q==')
    expect(view.host).toBe('fjnq7njcv2.execute-api.us-east-1.amazonaws.com')
    expect(view.sourceIp).toBe('166.90.225.1')
    expect(view.requestId).toBe('BFHPhFe3IAMF95g=')
  })
})

describe('VPC Lattice events are not read as HTTP events (documented: 400 unsupported-event)', () => {
  it.each(['vpc-lattice', 'vpc-lattice-v2'] as const)('%s', (name) => {
    const event = loadEvent(name)
    expect(isHttpEvent(event)).toBe(false)
    let thrown: unknown
    try {
      httpRequestView(event)
    } catch (error) {
      thrown = error
    }
    expect(thrown).toBeInstanceOf(LiftHttpError)
    expect(thrown).toMatchObject({ statusCode: 400, code: 'unsupported-event' })
    // Only the shape is described, never the request's content.
    expect((thrown as LiftHttpError).message).not.toContain('vpc-lattice')
    expect((thrown as LiftHttpError).message).not.toContain('10.213.229.10')
  })
})
