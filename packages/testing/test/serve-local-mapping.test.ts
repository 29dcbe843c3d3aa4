import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { type LocalServer, serveLocal } from '../src/index'
import { headerLines, rawRequest } from './support/raw-http'

// One server whose handler does what the test in flight asks: `respond` is swapped per test, every
// event and context the handler received is kept.
const received: Array<{ event: APIGatewayProxyEventV2; context: Context }> = []
let respond: (event: APIGatewayProxyEventV2) => unknown = () => ({ statusCode: 204 })
let server: LocalServer
const NOW = Date.UTC(2024, 0, 2, 3, 4, 5)

beforeAll(async () => {
  server = await serveLocal(
    (event, context) => {
      received.push({ event, context })
      return respond(event)
    },
    { now: () => NOW, context: { functionName: 'orders', timeoutMs: 6_000 } },
  )
})

afterAll(async () => {
  await server.close()
})

const lastEvent = () => received.at(-1)!.event
const timeout = () => AbortSignal.timeout(5_000)

describe('serveLocal: request → HTTP API v2 event', () => {
  it('maps method, raw path, raw query, decoded query and the request context', async () => {
    respond = () => ({ statusCode: 204 })
    const response = await fetch(`${server.url}/orders/a%20b?name=Jos%C3%A9&tag=1&tag=2&plus=a+b`, {
      method: 'PATCH',
      signal: timeout(),
    })
    expect(response.status).toBe(204)
    const event = lastEvent()
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      // An HTTP API hands the path over percent-decoded (REST APIs and Function URLs keep the encoding).
      rawPath: '/orders/a b',
      rawQueryString: 'name=Jos%C3%A9&tag=1&tag=2&plus=a+b',
      queryStringParameters: { name: 'José', tag: '1,2', plus: 'a b' },
      isBase64Encoded: false,
    })
    expect(event.body).toBeUndefined()
    expect(event.cookies).toBeUndefined()
    expect(event.requestContext).toMatchObject({
      domainName: '127.0.0.1',
      domainPrefix: '127',
      http: { method: 'PATCH', path: '/orders/a b', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      routeKey: '$default',
      stage: '$default',
      time: '02/Jan/2024:03:04:05 +0000',
      timeEpoch: NOW,
    })
    expect(event.requestContext.requestId).toMatch(/^[A-Za-z0-9+/]{15}=$/)
    expect(response.headers.get('apigw-requestid')).toBe(event.requestContext.requestId)
  })

  it('gives the handler a fresh Lambda context built from the context option and clock', async () => {
    await (await fetch(`${server.url}/one`, { signal: timeout() })).arrayBuffer()
    await (await fetch(`${server.url}/two`, { signal: timeout() })).arrayBuffer()
    const [first, second] = received.slice(-2).map((entry) => entry.context)
    expect(first!.functionName).toBe('orders')
    expect(first!.getRemainingTimeInMillis()).toBe(6_000)
    expect(first!.awsRequestId).not.toBe(second!.awsRequestId)
  })

  it('lower-cases header names, joins repeated fields with a comma and adds X-Forwarded-*', async () => {
    await rawRequest(server.url, {
      path: '/h',
      headers: [
        ['X-Multi', 'one'],
        ['x-multi', 'two'],
        ['User-Agent', 'raw-test/1'],
        ['X-Forwarded-For', '198.51.100.9'],
      ],
    })
    const event = lastEvent()
    expect(event.headers['x-multi']).toBe('one,two')
    expect(event.headers['user-agent']).toBe('raw-test/1')
    expect(event.requestContext.http.userAgent).toBe('raw-test/1')
    // The client's own X-Forwarded-For is kept and the real peer appended, as API Gateway does.
    expect(event.headers['x-forwarded-for']).toBe('198.51.100.9,127.0.0.1')
    expect(event.headers['x-forwarded-proto']).toBe('http')
    expect(event.headers['x-forwarded-port']).toBe(String(server.port))
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/)
    expect(event.headers.host).toBe(`127.0.0.1:${server.port}`)
    for (const name of Object.keys(event.headers)) expect(name).toBe(name.toLowerCase())
  })

  it('moves cookies from the Cookie header(s) into the cookies array', async () => {
    await rawRequest(server.url, {
      headers: [
        ['Cookie', 'a=1; b=2'],
        ['Cookie', 'c=3'],
        ['X-Amzn-Trace-Id', 'Root=1-00000000-000000000000000000000000'],
      ],
    })
    const event = lastEvent()
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3'])
    expect(event.headers.cookie).toBeUndefined()
    expect(event.headers['x-amzn-trace-id']).toBe('Root=1-00000000-000000000000000000000000')
  })

  it('passes text bodies as text and everything else as base64, byte for byte', async () => {
    respond = () => ({ statusCode: 200 })
    const json = JSON.stringify({ message: 'hé' })
    await fetch(`${server.url}/json`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: json,
      signal: timeout(),
    })
    expect(lastEvent()).toMatchObject({ body: json, isBase64Encoded: false })

    for (const contentType of [
      'text/plain',
      'application/problem+json',
      'application/x-www-form-urlencoded',
      'image/svg+xml',
    ]) {
      await fetch(`${server.url}/t`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: 'a=1',
        signal: timeout(),
      })
      expect(lastEvent()).toMatchObject({ body: 'a=1', isBase64Encoded: false })
    }

    const bytes = randomBytes(70_000)
    await fetch(`${server.url}/bin`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      signal: timeout(),
    })
    expect(lastEvent().isBase64Encoded).toBe(true)
    expect(Buffer.from(lastEvent().body!, 'base64').equals(bytes)).toBe(true)

    await rawRequest(server.url, { method: 'POST', body: Buffer.from([1, 2, 3]) })
    expect(lastEvent().body).toBe('AQID')
    expect(lastEvent().isBase64Encoded).toBe(true)
  })
})

describe('serveLocal: handler result → HTTP response', () => {
  it('sends a binary body back byte for byte', async () => {
    respond = (event) => ({
      statusCode: 200,
      headers: { 'content-type': 'application/octet-stream' },
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
    })
    const bytes = randomBytes(50_000)
    const response = await fetch(`${server.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
      signal: timeout(),
    })
    expect(response.headers.get('content-type')).toBe('application/octet-stream')
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes)).toBe(true)
  })

  it('sends headers, multiValueHeaders (which win for the same name) and one Set-Cookie line per cookie', async () => {
    respond = () => ({
      statusCode: 201,
      headers: { 'X-Single': 'one', 'x-both': 'from-headers', 'X-Number': 7, 'X-Flag': true },
      multiValueHeaders: { 'X-Both': ['m1', 'm2'], 'Set-Cookie': ['first=1'] },
      cookies: ['session=abc; HttpOnly; Secure', 'theme=dark; Path=/'],
      body: 'created',
    })
    const response = await rawRequest(server.url, { method: 'POST' })
    expect(response.status).toBe(201)
    expect(response.body.toString()).toBe('created')
    expect(headerLines(response, 'x-single')).toEqual(['one'])
    expect(headerLines(response, 'x-both')).toEqual(['m1', 'm2'])
    expect(headerLines(response, 'x-number')).toEqual(['7'])
    expect(headerLines(response, 'x-flag')).toEqual(['true'])
    expect(headerLines(response, 'set-cookie')).toEqual([
      'first=1',
      'session=abc; HttpOnly; Secure',
      'theme=dark; Path=/',
    ])
    expect(headerLines(response, 'content-length')).toEqual(['7'])

    const viaFetch = await fetch(server.url, { signal: timeout() })
    expect(viaFetch.headers.getSetCookie()).toEqual([
      'first=1',
      'session=abc; HttpOnly; Secure',
      'theme=dark; Path=/',
    ])
    await viaFetch.arrayBuffer()
  })

  it('ignores framing headers from the handler and frames the body itself', async () => {
    respond = () => ({
      statusCode: 200,
      headers: { 'Content-Length': '999', Connection: 'close' },
      body: 'abc',
    })
    const response = await rawRequest(server.url)
    expect(headerLines(response, 'content-length')).toEqual(['3'])
    expect(response.body.toString()).toBe('abc')
  })

  it('applies the v2 shorthand: a string or any non-structured value → 200 application/json', async () => {
    const cases: Array<[unknown, string]> = [
      ['plain text', 'plain text'],
      [{ message: 'hi' }, '{"message":"hi"}'],
      [[1, 2], '[1,2]'],
      [undefined, 'null'],
      [42, '42'],
    ]
    for (const [result, body] of cases) {
      respond = () => result
      const response = await fetch(server.url, { signal: timeout() })
      expect(response.status).toBe(200)
      expect(response.headers.get('content-type')).toBe('application/json')
      expect(await response.text()).toBe(body)
    }
  })

  it('awaits async handlers and answers HEAD without a body', async () => {
    respond = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hello' })
    const response = await rawRequest(server.url, { method: 'HEAD' })
    expect(response.status).toBe(200)
    expect(response.body).toHaveLength(0)
    expect(lastEvent().requestContext.http.method).toBe('HEAD')
  })
})
