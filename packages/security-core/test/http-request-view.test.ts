import { randomBytes } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import middy from '@middy/core'
import { type HttpRequestView, httpRequestView, isHttpEvent, isLiftHttpError } from '../src/index'
import { loadEvent, withContext } from './fixtures/load-event'

function restEvent(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { httpMethod: 'GET', path: '/', requestContext: { requestId: 'r-1' }, ...fields }
}

function httpApiEvent(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '2.0',
    routeKey: 'GET /items',
    rawPath: '/items',
    rawQueryString: '',
    requestContext: {
      apiId: 'abcde12345',
      domainName: 'abcde12345.execute-api.eu-west-1.amazonaws.com',
      http: { method: 'GET', path: '/items', sourceIp: '203.0.113.9' },
      requestId: 'r-2',
      routeKey: 'GET /items',
    },
    ...fields,
  }
}

function albEvent(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:1:targetgroup/t/1' } },
    httpMethod: 'GET',
    path: '/',
    ...fields,
  }
}

function thrown(action: () => unknown): unknown {
  try {
    action()
  } catch (error) {
    return error
  }
  throw new Error('expected the action to throw')
}

function expectLiftError(action: () => unknown, code: string): string {
  const error = thrown(action)
  expect(isLiftHttpError(error)).toBe(true)
  const liftError = error as { statusCode: number; code: string; detail: string }
  expect(liftError.statusCode).toBe(400)
  expect(liftError.code).toBe(code)
  return liftError.detail
}

describe('source detection', () => {
  it.each([
    ['apigw-rest', restEvent()],
    ['apigw-http', httpApiEvent()],
    ['alb', albEvent()],
    ['websocket', { requestContext: { eventType: 'CONNECT', connectionId: 'c-1' } }],
  ])('detects %s', (source, event) => {
    expect(isHttpEvent(event)).toBe(true)
    expect(httpRequestView(event).source).toBe(source)
  })

  it('tells a Function URL from an HTTP API by the lambda-url domain name', () => {
    const url = withContext('apigw-http', {
      domainName: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.eu-west-1.on.aws',
    })
    expect(httpRequestView(url).source).toBe('function-url')
    const customDomain = withContext('function-url', { domainName: 'api.example.com' })
    expect(httpRequestView(customDomain).source).toBe('apigw-http')
  })

  it('without a domain name, a $default route of a non-API-Gateway id is a Function URL', () => {
    const url = withContext('function-url', {
      domainName: undefined,
      apiId: 'abcdefghijklmnopqrstuvwxyz012345',
    })
    expect(httpRequestView(url).source).toBe('function-url')
    const noApiId = withContext('function-url', { domainName: undefined, apiId: undefined })
    expect(httpRequestView(noApiId).source).toBe('function-url')
    const httpApi = withContext('function-url', { domainName: undefined, apiId: 'a1b2c3d4e5' })
    expect(httpRequestView(httpApi).source).toBe('apigw-http')
    const namedRoute = withContext('function-url', { domainName: undefined, routeKey: 'GET /x' })
    expect(httpRequestView(namedRoute).source).toBe('apigw-http')
  })

  it.each([
    ['null', null, 'received null'],
    ['undefined', undefined, 'received undefined'],
    ['a string', '{"httpMethod":"GET"}', 'received string'],
    ['a number', 42, 'received number'],
    ['an array', [{ httpMethod: 'GET' }], 'received an array'],
    ['an empty object', {}, 'no HTTP method'],
    [
      'an SQS event',
      { Records: [{ messageId: 'm', eventSource: 'aws:sqs', body: 'secret-payload' }] },
      'no HTTP method',
    ],
    ['an EventBridge event', { 'detail-type': 'x', source: 'app', detail: {} }, 'no HTTP method'],
    [
      'a TOKEN authorizer event',
      { type: 'TOKEN', authorizationToken: 'Bearer t', methodArn: 'arn' },
      'no HTTP',
    ],
    ['an ALB-shaped event without method', { requestContext: { elb: {} }, path: '/' }, 'no HTTP method'],
    ['a 2.0 event without requestContext', { version: '2.0', rawPath: '/', headers: {} }, 'no HTTP method'],
    [
      'a 2.0 event with an empty method',
      { version: '2.0', requestContext: { http: { method: '' } } },
      'no HTTP',
    ],
    ['a REST event with a non-string method', { httpMethod: 7, path: '/' }, 'no HTTP method'],
  ])('rejects %s with 400 unsupported-event', (_label, event, detailPart) => {
    expect(isHttpEvent(event)).toBe(false)
    const detail = expectLiftError(() => httpRequestView(event), 'unsupported-event')
    expect(detail).toContain('Expected an API Gateway')
    expect(detail).toContain(detailPart)
    expect(detail).not.toContain('secret-payload')
  })
})

describe('memoization and immutability', () => {
  it('returns the same view for the same event object, a new one for another object', () => {
    const event = restEvent()
    const view = httpRequestView(event)
    expect(httpRequestView(event)).toBe(view)
    expect(httpRequestView(restEvent())).not.toBe(view)
    // The memo is not copied with the event: a spread or JSON copy is another event with its own view.
    expect(httpRequestView({ ...event })).not.toBe(view)
    expect(httpRequestView(JSON.parse(JSON.stringify(event)))).not.toBe(view)
  })

  it('memoizes the view of a frozen event too, and leaves no trace on the event object', () => {
    const frozen = Object.freeze(restEvent())
    expect(httpRequestView(frozen)).toBe(httpRequestView(frozen))
    const event = restEvent()
    const keysBefore = Reflect.ownKeys(event)
    httpRequestView(event)
    expect(Reflect.ownKeys(event)).toEqual(keysBefore)
    expect(event).toStrictEqual(restEvent())
  })

  it('shares one view between middlewares and the handler of a Middy stack', async () => {
    const seen: HttpRequestView[] = []
    const record = { before: (request: { event: unknown }) => void seen.push(httpRequestView(request.event)) }
    const handler = middy(async (event: unknown) => {
      seen.push(httpRequestView(event))
      return { statusCode: 204 }
    })
      .use(record)
      .use(record)
    await handler(loadEvent('apigw-http'), {} as never)
    expect(seen).toHaveLength(3)
    expect(new Set(seen).size).toBe(1)
  })

  it('freezes the view and every object it returns', () => {
    const view = httpRequestView(loadEvent('alb-multi-value'))
    expect(Object.isFrozen(view)).toBe(true)
    for (const part of [
      view.headers,
      view.query,
      view.cookies,
      view.pathParameters,
      view.queryValues('myKey'),
    ]) {
      expect(Object.isFrozen(part)).toBe(true)
    }
    expect(Object.isFrozen(view.queryValues('absent'))).toBe(true)
    expect(() => {
      ;(view as { method: string }).method = 'DELETE'
    }).toThrow(TypeError)
    expect(() => {
      ;(view.headers as Record<string, string>).host = 'evil.example'
    }).toThrow(TypeError)
    expect(() => {
      ;(view.queryValues('myKey') as string[]).push('val3')
    }).toThrow(TypeError)
    expect(view.header('host')).toBe('lambda-846800462-us-east-2.elb.amazonaws.com')
  })

  it('header and queryValues work when destructured from the view', () => {
    const { header, queryValues } = httpRequestView(loadEvent('alb-multi-value'))
    expect(header('Host')).toBe('lambda-846800462-us-east-2.elb.amazonaws.com')
    expect(queryValues('myKey')).toEqual(['val1', 'val2'])
  })

  it('computes each lazy part once', () => {
    const view = httpRequestView(loadEvent('apigw-rest'))
    expect(view.headers).toBe(view.headers)
    expect(view.query).toBe(view.query)
    expect(view.cookies).toBe(view.cookies)
    expect(view.pathParameters).toBe(view.pathParameters)
    expect(view.rawBody).toBe(view.rawBody)
    expect(view.queryValues('name')).toBe(view.queryValues('name'))
  })
})

describe('headers', () => {
  it('header(name) is case-insensitive and undefined for absent or non-string names', () => {
    const view = httpRequestView(restEvent({ headers: { Authorization: 'Bearer abc', '': 'nameless' } }))
    expect(view.header('')).toBeUndefined()
    expect(view.header('authorization')).toBe('Bearer abc')
    expect(view.header('AUTHORIZATION')).toBe('Bearer abc')
    expect(view.headers.authorization).toBe('Bearer abc')
    expect(view.header('x-absent')).toBeUndefined()
    expect(view.header(undefined as unknown as string)).toBeUndefined()
  })

  it.each([
    'apigw-rest',
    'apigw-http',
    'apigw-http-payload-1.0',
    'alb',
    'alb-multi-value',
    'function-url',
  ] as const)('header() answers the same before and after the full map is built (%s)', (fixture) => {
    const scanning = httpRequestView(loadEvent(fixture))
    const names = Object.keys(httpRequestView(loadEvent(fixture)).headers)
    const scanned = Object.fromEntries(names.map((name) => [name, scanning.header(name.toUpperCase())]))
    expect(scanned).toEqual({ ...scanning.headers })
  })

  it('joins repeated fields with ", ", cookie with "; ", and never joins set-cookie', () => {
    const view = httpRequestView(
      restEvent({
        multiValueHeaders: {
          Accept: ['text/html', 'application/json'],
          Cookie: ['a=1', 'b=2'],
          'Set-Cookie': ['first=1', 'second=2'],
        },
      }),
    )
    expect(view.header('Accept')).toBe('text/html, application/json')
    expect(view.header('Cookie')).toBe('a=1; b=2')
    expect(view.header('Set-Cookie')).toBe('first=1')
    expect(view.headers.accept).toBe('text/html, application/json')
    expect(view.headers.cookie).toBe('a=1; b=2')
    expect(view.headers['set-cookie']).toBe('first=1')
  })

  it('joins names that differ only by case, in either map', () => {
    const view = httpRequestView(
      restEvent({
        headers: { 'X-Trace': 'one', 'x-trace': 'two' },
        multiValueHeaders: { 'X-Multi': ['a'], 'x-MULTI': ['b', 'c'] },
      }),
    )
    expect(view.header('x-trace')).toBe('one, two')
    expect(view.header('x-multi')).toBe('a, b, c')
  })

  it('multiValueHeaders take precedence over headers for the same name; other names are merged', () => {
    const view = httpRequestView(
      restEvent({
        headers: { 'X-Forwarded-For': 'forged', Host: 'h.example', 'X-Only-Single': 's' },
        multiValueHeaders: { 'x-forwarded-for': ['1.1.1.1', '2.2.2.2'], Host: ['h.example'], 'X-Empty': [] },
      }),
    )
    expect(view.headers).toEqual({
      'x-forwarded-for': '1.1.1.1, 2.2.2.2',
      host: 'h.example',
      'x-only-single': 's',
    })
  })

  it('falls back to headers when the multi-value entry is empty', () => {
    const view = httpRequestView(restEvent({ headers: { accept: '*/*' }, multiValueHeaders: { accept: [] } }))
    expect(view.header('accept')).toBe('*/*')
  })

  it('stringifies numbers and booleans and drops other non-string values', () => {
    const view = httpRequestView(
      restEvent({
        headers: {
          'content-length': 12,
          'x-flag': true,
          'x-null': null,
          'x-object': { a: 1 },
          'x-array': ['a'],
          'x-nan': Number.NaN,
        },
        multiValueHeaders: { 'x-mixed': ['a', 1, null, { b: 2 }, false], 'x-lone': 'single', 'x-null': null },
      }),
    )
    expect(view.headers).toEqual({
      'content-length': '12',
      'x-flag': 'true',
      'x-mixed': 'a, 1, false',
      'x-lone': 'single',
    })
  })

  it('is empty when headers and multiValueHeaders are null, missing or not objects', () => {
    for (const fields of [
      { headers: null, multiValueHeaders: null },
      {},
      { headers: 'accept: */*', multiValueHeaders: ['x'] },
    ]) {
      const view = httpRequestView(restEvent(fields))
      expect(view.headers).toEqual({})
      expect(view.header('accept')).toBeUndefined()
    }
  })

  it('puts the payload 2.0 cookies back as a cookie header, keeping a cookie header already present', () => {
    expect(httpRequestView(httpApiEvent({ cookies: ['a=1', 'b=2'] })).header('cookie')).toBe('a=1; b=2')
    const withHeader = httpApiEvent({ cookies: ['a=1'], headers: { cookie: 'a=1; z=26' } })
    expect(httpRequestView(withHeader).header('cookie')).toBe('a=1; z=26')
    expect(httpRequestView(httpApiEvent({ cookies: [] })).header('cookie')).toBeUndefined()
    expect(httpRequestView(httpApiEvent({ cookies: null })).header('cookie')).toBeUndefined()
  })
})

describe('query', () => {
  it('payload 2.0: rawQueryString is authoritative and decoded as a form query', () => {
    const view = httpRequestView(
      httpApiEvent({
        rawQueryString: 'q=a+b%20c&tag=x&tag=y&flag&&empty=&%C3%A9t%C3%A9=%E2%9C%93',
        queryStringParameters: { ignored: 'because rawQueryString wins' },
      }),
    )
    expect(view.rawQuery).toBe('q=a+b%20c&tag=x&tag=y&flag&&empty=&%C3%A9t%C3%A9=%E2%9C%93')
    expect({ ...view.query }).toEqual({ q: 'a b c', tag: 'y', flag: '', empty: '', été: '✓' })
    expect(view.queryValues('tag')).toEqual(['x', 'y'])
    expect(view.queryValues('ignored')).toEqual([])
  })

  it('keeps malformed percent-encoding as received instead of throwing', () => {
    const view = httpRequestView(httpApiEvent({ rawQueryString: 'bad=%E0%A4%A&pct=%zz&lone=%&ok=%41' }))
    expect({ ...view.query }).toEqual({ bad: '%E0%A4%A', pct: '%zz', lone: '%', ok: 'A' })
  })

  it('drops a leading "?" from rawQueryString', () => {
    expect(httpRequestView(httpApiEvent({ rawQueryString: '?a=1' })).rawQuery).toBe('a=1')
  })

  it('payload 2.0 without rawQueryString falls back to the decoded parameters', () => {
    const view = httpRequestView(
      httpApiEvent({ rawQueryString: undefined, queryStringParameters: { 'a b': 'c&d', n: 1 } }),
    )
    expect(view.rawQuery).toBe('a%20b=c%26d&n=1')
    expect({ ...view.query }).toEqual({ 'a b': 'c&d', n: '1' })
    const none = httpRequestView(httpApiEvent({ rawQueryString: null, queryStringParameters: null }))
    expect(none.rawQuery).toBe('')
    expect({ ...none.query }).toEqual({})
  })

  it('REST: multi-value parameters win, single-only names are merged, rawQuery is re-encoded', () => {
    const view = httpRequestView(
      restEvent({
        queryStringParameters: { name: 'last', 'a b': 'x&y=z', literal: '%41', only: 'single' },
        multiValueQueryStringParameters: { name: ['first', 'last'], 'a b': ['x&y=z'], literal: ['%41'] },
      }),
    )
    expect(view.rawQuery).toBe('name=first&name=last&a%20b=x%26y%3Dz&literal=%2541&only=single')
    // API Gateway REST already decoded the values: no second decoding.
    expect({ ...view.query }).toEqual({ name: 'last', 'a b': 'x&y=z', literal: '%41', only: 'single' })
    expect(view.queryValues('name')).toEqual(['first', 'last'])
  })

  it('REST: a lone surrogate is encoded as U+FFFD instead of throwing', () => {
    const view = httpRequestView(restEvent({ queryStringParameters: { s: 'a\uD800b' } }))
    expect(view.rawQuery).toBe('s=a%EF%BF%BDb')
    expect(view.query.s).toBe('a\uD800b')
  })

  it('ALB: parameters arrive encoded; the view decodes them and keeps rawQuery as received', () => {
    const view = httpRequestView(
      albEvent({ queryStringParameters: { q: 'a%20b%2Bc+d', 'x%5B%5D': '1', bad: '%E0%A4%A' } }),
    )
    expect(view.rawQuery).toBe('q=a%20b%2Bc+d&x%5B%5D=1&bad=%E0%A4%A')
    expect({ ...view.query }).toEqual({ q: 'a b+c d', 'x[]': '1', bad: '%E0%A4%A' })
    expect(view.queryValues('x[]')).toEqual(['1'])
  })

  it('ALB multi-value mode decodes every value', () => {
    const view = httpRequestView(albEvent({ multiValueQueryStringParameters: { k: ['a%26b', 'c%3Dd'] } }))
    expect(view.rawQuery).toBe('k=a%26b&k=c%3Dd')
    expect(view.queryValues('k')).toEqual(['a&b', 'c=d'])
    expect(view.query.k).toBe('c=d')
  })

  it('is empty when the parameter maps are null', () => {
    const view = httpRequestView(
      restEvent({ queryStringParameters: null, multiValueQueryStringParameters: null }),
    )
    expect(view.rawQuery).toBe('')
    expect({ ...view.query }).toEqual({})
    expect(view.queryValues('a')).toEqual([])
    expect(view.queryValues(42 as unknown as string)).toEqual([])
  })
})

describe('cookies', () => {
  it('parses the payload 2.0 cookies array, ignoring non-string entries', () => {
    const view = httpRequestView(httpApiEvent({ cookies: ['session=abc', 7, 'theme=dark; lang=en', null] }))
    expect({ ...view.cookies }).toEqual({ session: 'abc', theme: 'dark', lang: 'en' })
  })

  it('parses the cookie header when there is no cookies array', () => {
    const view = httpRequestView(
      restEvent({
        headers: {
          Cookie: ' a=1 ;b="quoted value"; c=caf%C3%A9; d=%E0%A4%A; a=second; flag; =anonymous; e=x=y; f=',
        },
      }),
    )
    expect({ ...view.cookies }).toEqual({
      a: '1',
      b: 'quoted value',
      c: 'café',
      d: '%E0%A4%A',
      e: 'x=y',
      f: '',
    })
  })

  it('reads every cookie header a REST event carries', () => {
    const view = httpRequestView(restEvent({ multiValueHeaders: { cookie: ['a=1', 'b=2'] } }))
    expect({ ...view.cookies }).toEqual({ a: '1', b: '2' })
  })

  it('payload 2.0 with cookies null falls back to the cookie header', () => {
    const view = httpRequestView(httpApiEvent({ cookies: null, headers: { cookie: 'a=1' } }))
    expect({ ...view.cookies }).toEqual({ a: '1' })
  })

  it('is empty without cookies', () => {
    expect({ ...httpRequestView(restEvent()).cookies }).toEqual({})
  })
})

describe('prototype pollution', () => {
  // Read through a variable: the point is the own property named __proto__, not the accessor.
  const PROTO = '__proto__'
  const hostile = JSON.parse(`{
    "httpMethod": "GET",
    "path": "/",
    "headers": { "__proto__": "h-proto", "constructor": "h-ctor", "Cookie": "__proto__=c-proto; constructor=c-ctor" },
    "multiValueHeaders": { "__proto__": ["mv-proto"] },
    "queryStringParameters": { "__proto__": "q-proto", "constructor": "q-ctor", "toString": "q-str" },
    "pathParameters": { "__proto__": "p-proto", "hasOwnProperty": "p-own" },
    "requestContext": {}
  }`) as Record<string, unknown>

  it('keeps __proto__ and constructor as ordinary names in null-prototype objects', () => {
    const view = httpRequestView(hostile)
    for (const part of [view.headers, view.query, view.cookies, view.pathParameters]) {
      expect(Object.getPrototypeOf(part)).toBeNull()
    }
    expect(view.header('__proto__')).toBe('mv-proto')
    expect(view.header('constructor')).toBe('h-ctor')
    expect(view.header('toString')).toBeUndefined()
    expect(view.query[PROTO]).toBe('q-proto')
    expect(view.queryValues('constructor')).toEqual(['q-ctor'])
    expect(view.queryValues('hasOwnProperty')).toEqual([])
    expect(view.cookies[PROTO]).toBe('c-proto')
    expect(view.cookies.constructor).toBe('c-ctor')
    expect(view.pathParameters[PROTO]).toBe('p-proto')
    expect(view.pathParameters.hasOwnProperty).toBe('p-own')
  })

  it('does not touch Object.prototype, also through payload 2.0 query strings and cookies', () => {
    const view = httpRequestView(
      httpApiEvent({
        rawQueryString: '__proto__=x&__proto__%5Bpolluted%5D=1&constructor%5Bprototype%5D%5Bpolluted%5D=1',
        cookies: ['__proto__=y', 'polluted=1'],
      }),
    )
    expect(view.query[PROTO]).toBe('x')
    expect(view.query['__proto__[polluted]']).toBe('1')
    expect(view.cookies[PROTO]).toBe('y')
    for (const part of [view.headers, view.query, view.cookies])
      expect(Object.getPrototypeOf(part)).toBeNull()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })
})

describe('method, path, path parameters', () => {
  it('upper-cases the method', () => {
    expect(httpRequestView(restEvent({ httpMethod: 'patch' })).method).toBe('PATCH')
    const v2 = httpApiEvent()
    ;(v2.requestContext as { http: { method: string } }).http.method = 'delete'
    expect(httpRequestView(v2).method).toBe('DELETE')
  })

  it('WebSocket: GET for CONNECT, the httpMethod when present, else empty', () => {
    const connect = { requestContext: { eventType: 'CONNECT', connectionId: 'c' } }
    expect(httpRequestView(connect).method).toBe('GET')
    const disconnect = { requestContext: { eventType: 'DISCONNECT', connectionId: 'c' } }
    expect(httpRequestView(disconnect).method).toBe('')
    const hybrid = { httpMethod: 'post', requestContext: { eventType: 'MESSAGE', connectionId: 'c' } }
    expect(httpRequestView(hybrid).method).toBe('POST')
  })

  it("keeps the raw path and defaults to '/'", () => {
    expect(httpRequestView(restEvent({ path: '/a%20b/c' })).path).toBe('/a%20b/c')
    expect(httpRequestView(restEvent({ path: undefined })).path).toBe('/')
    expect(httpRequestView(restEvent({ path: null })).path).toBe('/')
    expect(httpRequestView(restEvent({ path: '' })).path).toBe('/')
    expect(httpRequestView(httpApiEvent({ rawPath: '/raw%2Fpath' })).path).toBe('/raw%2Fpath')
    expect(httpRequestView(httpApiEvent({ rawPath: undefined })).path).toBe('/items')
    const noPaths = httpApiEvent({ rawPath: 42 })
    ;(noPaths.requestContext as { http: Record<string, unknown> }).http.path = undefined
    expect(httpRequestView(noPaths).path).toBe('/')
  })

  it('copies path parameters, stringifying scalars and dropping the rest', () => {
    const view = httpRequestView(
      restEvent({ pathParameters: { id: '42', n: 7, nested: { a: 1 }, none: null } }),
    )
    expect({ ...view.pathParameters }).toEqual({ id: '42', n: '7' })
    expect({ ...httpRequestView(restEvent({ pathParameters: null })).pathParameters }).toEqual({})
  })
})

describe('source IP', () => {
  it('ALB: the right-most X-Forwarded-For entry, the one the load balancer appended', () => {
    const forged = albEvent({ headers: { 'x-forwarded-for': '10.0.0.1, 198.51.100.7' } })
    expect(httpRequestView(forged).sourceIp).toBe('198.51.100.7')
    const twoHeaders = albEvent({ multiValueHeaders: { 'x-forwarded-for': ['6.6.6.6', '203.0.113.5'] } })
    expect(httpRequestView(twoHeaders).sourceIp).toBe('203.0.113.5')
    const ipv6 = albEvent({ headers: { 'x-forwarded-for': '2001:db8::1' } })
    expect(httpRequestView(ipv6).sourceIp).toBe('2001:db8::1')
  })

  it('ALB: undefined when X-Forwarded-For is absent or its last entry is not an IP address', () => {
    expect(httpRequestView(albEvent()).sourceIp).toBeUndefined()
    const garbage = albEvent({ headers: { 'x-forwarded-for': '203.0.113.5, not-an-ip' } })
    expect(httpRequestView(garbage).sourceIp).toBeUndefined()
    const trailing = albEvent({ headers: { 'x-forwarded-for': '203.0.113.5,' } })
    expect(httpRequestView(trailing).sourceIp).toBeUndefined()
  })

  it('REST and WebSocket: requestContext.identity.sourceIp, ignoring X-Forwarded-For', () => {
    const rest = restEvent({
      headers: { 'x-forwarded-for': '6.6.6.6' },
      requestContext: { identity: { sourceIp: '192.0.2.10' } },
    })
    expect(httpRequestView(rest).sourceIp).toBe('192.0.2.10')
    const connect = {
      requestContext: { eventType: 'CONNECT', connectionId: 'c', identity: { sourceIp: '192.0.2.11' } },
    }
    expect(httpRequestView(connect).sourceIp).toBe('192.0.2.11')
  })

  it('payload 2.0: requestContext.http.sourceIp', () => {
    expect(httpRequestView(httpApiEvent({ headers: { 'x-forwarded-for': '6.6.6.6' } })).sourceIp).toBe(
      '203.0.113.9',
    )
  })

  it('undefined when the context is missing or malformed', () => {
    expect(httpRequestView(restEvent({ requestContext: undefined })).sourceIp).toBeUndefined()
    expect(httpRequestView(restEvent({ requestContext: null })).sourceIp).toBeUndefined()
    expect(httpRequestView(restEvent({ requestContext: { identity: null } })).sourceIp).toBeUndefined()
    expect(
      httpRequestView(restEvent({ requestContext: { identity: { sourceIp: 5 } } })).sourceIp,
    ).toBeUndefined()
    const v2 = httpApiEvent()
    ;(v2.requestContext as { http: Record<string, unknown> }).http.sourceIp = ''
    expect(httpRequestView(v2).sourceIp).toBeUndefined()
  })
})

describe('host, requestId, routeKey', () => {
  it('host: the Host header, else requestContext.domainName, else undefined', () => {
    expect(httpRequestView(httpApiEvent({ headers: { host: 'api.example.com' } })).host).toBe(
      'api.example.com',
    )
    expect(httpRequestView(httpApiEvent()).host).toBe('abcde12345.execute-api.eu-west-1.amazonaws.com')
    expect(httpRequestView(restEvent()).host).toBeUndefined()
  })

  it('requestId: requestContext.requestId (ALB: X-Amzn-Trace-Id)', () => {
    expect(httpRequestView(restEvent()).requestId).toBe('r-1')
    expect(httpRequestView(restEvent({ requestContext: undefined })).requestId).toBeUndefined()
    expect(httpRequestView(albEvent({ headers: { 'X-Amzn-Trace-Id': 'Root=1-abc' } })).requestId).toBe(
      'Root=1-abc',
    )
    expect(httpRequestView(albEvent()).requestId).toBeUndefined()
  })

  it('routeKey per source', () => {
    expect(httpRequestView(restEvent({ httpMethod: 'get', resource: '/users/{id}' })).routeKey).toBe(
      'GET /users/{id}',
    )
    expect(httpRequestView(restEvent()).routeKey).toBeUndefined()
    const httpApiV1 = restEvent({ resource: '/x', requestContext: { routeKey: 'ANY /x' } })
    expect(httpRequestView(httpApiV1).routeKey).toBe('ANY /x')
    expect(httpRequestView(httpApiEvent()).routeKey).toBe('GET /items')
    const topLevelOnly = httpApiEvent()
    ;(topLevelOnly.requestContext as Record<string, unknown>).routeKey = undefined
    expect(httpRequestView(topLevelOnly).routeKey).toBe('GET /items')
    const connect = { requestContext: { eventType: 'CONNECT', connectionId: 'c', routeKey: '$connect' } }
    expect(httpRequestView(connect).routeKey).toBe('$connect')
    expect(httpRequestView(albEvent()).routeKey).toBeUndefined()
  })
})

describe('WebSocket CONNECT', () => {
  it('reads headers and the (decoded) query like a REST event', () => {
    const view = httpRequestView({
      headers: { Host: 'ws.example.com', 'Sec-WebSocket-Protocol': 'token' },
      multiValueHeaders: { Host: ['ws.example.com'], 'Sec-WebSocket-Protocol': ['token'] },
      queryStringParameters: { token: 'a b' },
      multiValueQueryStringParameters: { token: ['a b'] },
      requestContext: { eventType: 'CONNECT', connectionId: 'c-1', routeKey: '$connect', requestId: 'w-1' },
      isBase64Encoded: false,
    })
    expect(view.header('sec-websocket-protocol')).toBe('token')
    expect(view.query.token).toBe('a b')
    expect(view.rawQuery).toBe('token=a%20b')
    expect(view.host).toBe('ws.example.com')
    expect(view.rawBody).toBeUndefined()
  })
})

describe('rawBody', () => {
  it('is undefined without a body and empty for an empty body', () => {
    expect(httpRequestView(restEvent({ body: null })).rawBody).toBeUndefined()
    expect(httpRequestView(restEvent()).rawBody).toBeUndefined()
    expect(httpRequestView(restEvent({ body: '' })).rawBody).toEqual(Buffer.alloc(0))
  })

  it('is the UTF-8 bytes of a text body', () => {
    expect(httpRequestView(restEvent({ body: 'café ✓' })).rawBody).toEqual(Buffer.from('café ✓', 'utf8'))
  })

  it('base64-decodes when isBase64Encoded is true, padded or not', () => {
    const bytes = randomBytes(1000)
    const padded = restEvent({ body: bytes.toString('base64'), isBase64Encoded: true })
    expect(httpRequestView(padded).rawBody).toEqual(bytes)
    expect(httpRequestView(restEvent({ body: 'QQ', isBase64Encoded: true })).rawBody).toEqual(
      Buffer.from('A'),
    )
    expect(httpRequestView(restEvent({ body: 'QUI', isBase64Encoded: true })).rawBody).toEqual(
      Buffer.from('AB'),
    )
    expect(httpRequestView(restEvent({ body: '', isBase64Encoded: true })).rawBody).toEqual(Buffer.alloc(0))
  })

  it('only a boolean true marks the body as base64', () => {
    expect(httpRequestView(restEvent({ body: 'QQ==', isBase64Encoded: 'true' })).rawBody).toEqual(
      Buffer.from('QQ=='),
    )
  })

  it.each([
    ['characters outside the alphabet', 'not base64!'],
    ['base64url characters', 'ab-_'],
    ['whitespace', 'QUJD\nQUJD'],
    ['a single trailing character', 'QUJDQ'],
    ['padding on a partial quantum', 'QQ='],
    ['too much padding', 'Q==='],
    ['padding in the middle', 'QQ==QUJD'],
    ['padding after a full quantum', 'QUJD=='],
    ['non-zero pad bits (2 chars)', 'QR=='],
    ['non-zero pad bits (3 chars)', 'QUJ='],
  ])('rejects a base64 body with %s: 400 invalid-body-encoding', (_label, body) => {
    const view = httpRequestView(restEvent({ body, isBase64Encoded: true }))
    expectLiftError(() => view.rawBody, 'invalid-body-encoding')
  })

  it('fails lazily: the view and its other fields work, and every read of rawBody throws the same error', () => {
    const view = httpRequestView(restEvent({ body: '***', isBase64Encoded: true, headers: { a: 'b' } }))
    expect(view.header('a')).toBe('b')
    const first = thrown(() => view.rawBody)
    expect(thrown(() => view.rawBody)).toBe(first)
  })

  it('copies a Uint8Array body and ignores an already-parsed body', () => {
    const bytes = new Uint8Array([1, 2, 3])
    const rawBody = httpRequestView(restEvent({ body: bytes })).rawBody
    expect(rawBody).toEqual(Buffer.from([1, 2, 3]))
    bytes[0] = 9
    expect(rawBody?.[0]).toBe(1)
    expect(httpRequestView(restEvent({ body: { parsed: true } })).rawBody).toBeUndefined()
  })

  it('keeps the body as received when a body parser later replaces event.body', () => {
    const event = restEvent({ body: Buffer.from('{"a":1}').toString('base64'), isBase64Encoded: true })
    const view = httpRequestView(event)
    event.body = { a: 1 }
    event.isBase64Encoded = false
    expect(httpRequestView(event).rawBody?.toString()).toBe('{"a":1}')
    expect(view.rawBody?.toString()).toBe('{"a":1}')
  })

  it('decodes a 10 MB base64 body and a 10 MB text body', () => {
    const bytes = randomBytes(10 * 1024 * 1024)
    const binary = httpRequestView(restEvent({ body: bytes.toString('base64'), isBase64Encoded: true }))
    expect(binary.rawBody?.equals(bytes)).toBe(true)
    const text = 'x'.repeat(10 * 1024 * 1024)
    expect(httpRequestView(restEvent({ body: text })).rawBody?.length).toBe(text.length)
  })

  it('rejects a 10 MB base64 body with one bad character at its end', () => {
    const body = `${randomBytes(10 * 1024 * 1024 - 1)
      .toString('base64')
      .slice(0, -4)}QUJ!`
    const view = httpRequestView(restEvent({ body, isBase64Encoded: true }))
    expectLiftError(() => view.rawBody, 'invalid-body-encoding')
  })
})

describe('malformed events never cause a TypeError', () => {
  const readEverything = (view: HttpRequestView) => [
    view.source,
    view.method,
    view.path,
    view.rawQuery,
    { ...view.query },
    view.queryValues('a'),
    { ...view.headers },
    view.header('a'),
    { ...view.cookies },
    { ...view.pathParameters },
    view.host,
    view.sourceIp,
    view.rawBody,
    view.requestId,
    view.routeKey,
  ]

  it.each([
    [
      'REST with every optional field null',
      restEvent({
        headers: null,
        multiValueHeaders: null,
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
        requestContext: null,
        body: null,
        isBase64Encoded: null,
        resource: null,
      }),
    ],
    ['REST without requestContext', { httpMethod: 'GET' }],
    [
      'payload 2.0 with every optional field null',
      httpApiEvent({
        headers: null,
        cookies: null,
        rawQueryString: null,
        queryStringParameters: null,
        rawPath: null,
        body: null,
        pathParameters: null,
        isBase64Encoded: null,
      }),
    ],
    [
      'payload 2.0 with wrongly typed fields',
      httpApiEvent({
        headers: [1, 2],
        cookies: 'a=1',
        rawQueryString: 5,
        queryStringParameters: 'a=1',
        rawPath: {},
        body: 12,
        pathParameters: [],
        routeKey: 9,
      }),
    ],
    [
      'ALB with null maps',
      albEvent({
        headers: null,
        multiValueHeaders: null,
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
      }),
    ],
    ['WebSocket with a minimal context', { requestContext: { eventType: 'MESSAGE', connectionId: '' } }],
    ['a null-prototype event', Object.assign(Object.create(null), restEvent())],
  ])('%s', (_label, event) => {
    expect(() => readEverything(httpRequestView(event))).not.toThrow()
  })
})
