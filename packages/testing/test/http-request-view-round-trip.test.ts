// The builders' events read back through @lift/security-core's httpRequestView, the way every Lift
// middleware reads them: what a test puts into a builder is what the middleware sees.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type HttpEventSource, httpRequestView } from '@lift/security-core'
import fc from 'fast-check'
import {
  albEvent,
  apiGatewayV1Event,
  apiGatewayV2Event,
  functionUrlEvent,
  type HttpEventInit,
  type LocalServer,
  serveLocal,
} from '../src/index'

interface Builder {
  readonly label: string
  readonly source: HttpEventSource
  readonly build: (init: HttpEventInit) => unknown
  /** False for ALB without multi-value headers: a repeated parameter keeps only its last value. */
  readonly keepsRepeated: boolean
}

const BUILDERS: readonly Builder[] = [
  { label: 'apiGatewayV1Event', source: 'apigw-rest', build: apiGatewayV1Event, keepsRepeated: true },
  { label: 'apiGatewayV2Event', source: 'apigw-http', build: apiGatewayV2Event, keepsRepeated: true },
  { label: 'functionUrlEvent', source: 'function-url', build: functionUrlEvent, keepsRepeated: true },
  { label: 'albEvent', source: 'alb', build: albEvent, keepsRepeated: false },
  {
    label: 'albEvent (multiValue)',
    source: 'alb',
    build: (init) => albEvent({ ...init, multiValue: true }),
    keepsRepeated: true,
  },
]

const RICH_INIT: HttpEventInit = {
  method: 'post',
  path: '/orders/42',
  headers: { 'X-Custom': 'yes', Authorization: 'Bearer abc.def.ghi', 'User-Agent': 'round-trip/1' },
  query: { name: 'José Ruiz', tag: ['a&b', 'c=d'], plus: '1+1' },
  cookies: { session: 's-1', theme: 'dark' },
  body: { hello: 'wörld' },
  sourceIp: '198.51.100.23',
  requestId: 'req-123',
  host: 'api.example.com',
}

describe.each(BUILDERS)('httpRequestView reads an $label event back', ({ source, build, keepsRepeated }) => {
  it('source, method, path, query, headers, cookies, host, source IP and body', () => {
    const view = httpRequestView(build(RICH_INIT))
    expect(view.source).toBe(source)
    expect(view.method).toBe('POST')
    expect(view.path).toBe('/orders/42')
    expect(view.query).toEqual({ name: 'José Ruiz', tag: 'c=d', plus: '1+1' })
    const tags = keepsRepeated ? ['a&b', 'c=d'] : ['c=d']
    expect(view.queryValues('tag')).toEqual(tags)
    expect(new URLSearchParams(view.rawQuery).getAll('tag')).toEqual(tags)
    expect(view.header('x-custom')).toBe('yes')
    expect(view.header('AUTHORIZATION')).toBe('Bearer abc.def.ghi')
    expect(view.headers['user-agent']).toBe('round-trip/1')
    expect(view.header('content-type')).toBe('application/json')
    expect(view.cookies).toEqual({ session: 's-1', theme: 'dark' })
    expect(view.host).toBe('api.example.com')
    expect(view.sourceIp).toBe('198.51.100.23')
    expect(view.rawBody?.toString('utf8')).toBe('{"hello":"wörld"}')
  })

  it('a binary body byte for byte', () => {
    const bytes = Buffer.from([0, 1, 2, 253, 254, 255])
    expect(httpRequestView(build({ method: 'PUT', body: bytes })).rawBody).toEqual(bytes)
  })

  it('the request id where the source has one', () => {
    const view = httpRequestView(build({ requestId: 'req-9' }))
    if (source === 'alb') expect(view.requestId).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/)
    else expect(view.requestId).toBe('req-9')
  })

  it('any query parameters, header values and cookies (property)', () => {
    const name = fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme' })
    const value = fc.string({ maxLength: 20, unit: 'grapheme' })
    const token = fc.stringMatching(/^[A-Za-z0-9!#$&'*+.^_`|~-]{1,12}$/)
    const headerValue = fc.stringMatching(
      /^[\x21-\x2b\x2d-\x7e]([\x20-\x2b\x2d-\x7e]{0,18}[\x21-\x2b\x2d-\x7e])?$/,
    )
    // RFC 6265 cookie-octets without '%': the view percent-decodes cookie values, as the `cookie` package does.
    const cookieValue = fc.stringMatching(/^[\x21\x23\x24\x26-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]{0,16}$/)
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.array(value, { minLength: 1, maxLength: 3 })),
        fc.dictionary(
          token.map((header) => `x-${header.toLowerCase()}`),
          headerValue,
        ),
        fc.dictionary(token, cookieValue),
        (query, headers, cookies) => {
          const view = httpRequestView(build({ query, headers, cookies }))
          for (const [key, values] of Object.entries(query)) {
            expect(view.queryValues(key)).toEqual(keepsRepeated ? values : values.slice(-1))
            expect(view.query[key]).toBe(values.at(-1))
          }
          for (const [key, headerText] of Object.entries(headers)) expect(view.header(key)).toBe(headerText)
          expect(view.cookies).toEqual(cookies)
        },
      ),
      { numRuns: 200 },
    )
  })
})

describe('httpRequestView reads specifics back', () => {
  it('REST route key from routeKey/resource, path parameters', () => {
    const view = httpRequestView(
      apiGatewayV1Event({ path: '/items/7', routeKey: 'GET /items/{id}', pathParameters: { id: '7' } }),
    )
    expect(view.routeKey).toBe('GET /items/{id}')
    expect(view.pathParameters).toEqual({ id: '7' })
  })

  it('HTTP API route key and path parameters; none for Function URL and ALB', () => {
    const v2 = httpRequestView(
      apiGatewayV2Event({ routeKey: 'GET /items/{id}', pathParameters: { id: '7' } }),
    )
    expect(v2.routeKey).toBe('GET /items/{id}')
    expect(v2.pathParameters).toEqual({ id: '7' })
    expect(httpRequestView(functionUrlEvent()).routeKey).toBeUndefined()
    expect(httpRequestView(albEvent()).routeKey).toBeUndefined()
  })

  it('defaults: GET /, the documentation source IP, the generated host', () => {
    for (const { build } of BUILDERS) {
      const view = httpRequestView(build({}))
      expect([view.method, view.path, view.rawQuery, view.sourceIp]).toEqual(['GET', '/', '', '203.0.113.10'])
      expect(view.host).toMatch(/\.(amazonaws\.com|on\.aws)$/)
      // ALB sends an empty string for a request without a body, the others no body at all.
      expect(view.rawBody?.length ?? 0).toBe(0)
    }
  })
})

describe('httpRequestView reads serveLocal events back', () => {
  let server: LocalServer
  beforeAll(async () => {
    server = await serveLocal((event) => {
      const view = httpRequestView(event)
      return {
        source: view.source,
        method: view.method,
        path: view.path,
        rawQuery: view.rawQuery,
        tags: view.queryValues('tag'),
        multi: view.header('x-multi'),
        cookies: view.cookies,
        sourceIp: view.sourceIp,
        requestId: view.requestId,
        body: view.rawBody?.toString('hex') ?? null,
      }
    })
  })
  afterAll(async () => {
    await server.close()
  })

  it('a real HTTP request as the view of an HTTP API event', async () => {
    const response = await fetch(`${server.url}/a%2Fb/c?tag=x%20y&tag=z`, {
      method: 'DELETE',
      headers: [
        ['x-multi', '1'],
        ['x-multi', '2'],
        ['cookie', 'a=1; b=2'],
        ['content-type', 'application/octet-stream'],
      ],
      body: Buffer.from([0xde, 0xad, 0xbe, 0xef]),
      signal: AbortSignal.timeout(5_000),
    })
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      source: 'apigw-http',
      method: 'DELETE',
      // Decoded, as an HTTP API hands the path over.
      path: '/a/b/c',
      rawQuery: 'tag=x%20y&tag=z',
      tags: ['x y', 'z'],
      multi: '1, 2',
      cookies: { a: '1', b: '2' },
      sourceIp: '127.0.0.1',
      requestId: response.headers.get('apigw-requestid'),
      body: 'deadbeef',
    })
  })
})
