import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { type HttpRequestView, httpRequestView, isHttpEvent, isLiftHttpError } from '../src/index'

const restEvent = (fields: Record<string, unknown>) => ({ httpMethod: 'GET', path: '/', ...fields })
const httpApiEvent = (rawQueryString: string) => ({
  version: '2.0',
  rawPath: '/',
  rawQueryString,
  requestContext: { http: { method: 'GET' }, domainName: 'abcde12345.execute-api.eu-west-1.amazonaws.com' },
})
const albEvent = (fields: Record<string, unknown>) => ({
  requestContext: { elb: { targetGroupArn: 'arn' } },
  httpMethod: 'GET',
  path: '/',
  ...fields,
})

function withCase(name: string, upper: readonly boolean[]): string {
  return [...name].map((char, i) => (upper[i] ? char.toUpperCase() : char)).join('')
}

/** The RFC 9110 combination of every field whose name matches case-insensitively, in the event's order. */
function expectedField(fields: Record<string, readonly string[]>, name: string): string | undefined {
  const values = Object.keys(fields)
    .filter((key) => key.toLowerCase() === name)
    .flatMap((key) => fields[key] ?? [])
  if (values.length === 0) return undefined
  if (name === 'set-cookie') return values[0]
  return values.join(name === 'cookie' ? '; ' : ', ')
}

const headerName = fc.oneof(
  fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/),
  fc.constantFrom(
    'cookie',
    'set-cookie',
    'accept',
    'x-forwarded-for',
    '__proto__',
    'constructor',
    'x-\u0130d',
    'x-i\u0307d',
  ),
)
const caseMask = fc.array(fc.boolean(), { minLength: 16, maxLength: 16 })
const fieldValue = fc.string({ unit: 'grapheme-ascii', maxLength: 20 })
const headerEntries = fc.array(
  fc.record({
    name: headerName,
    upper: caseMask,
    values: fc.array(fieldValue, { minLength: 1, maxLength: 3 }),
  }),
  { maxLength: 12 },
)

/**
 * Two fresh views of the same event: one answers header() by scanning the event (before any full map exists),
 * the other builds the full map first. Both must give the RFC 9110 combination for every name.
 */
function checkHeaders(
  makeEvent: () => unknown,
  fields: Record<string, readonly string[]>,
  lookupCase: boolean[],
) {
  const names = new Set(Object.keys(fields).map((key) => key.toLowerCase()))
  const scanning = httpRequestView(makeEvent())
  for (const name of names) {
    const expected = expectedField(fields, name)
    expect(scanning.header(withCase(name, lookupCase))).toBe(expected)
    expect(scanning.header(name.toUpperCase())).toBe(expected)
  }
  const mapped = httpRequestView(makeEvent())
  expect(new Set(Object.keys(mapped.headers))).toEqual(names)
  for (const name of names) {
    const expected = expectedField(fields, name)
    expect(mapped.headers[name]).toBe(expected)
    expect(mapped.header(withCase(name, lookupCase))).toBe(expected)
  }
}

describe('headers (property)', () => {
  it('multiValueHeaders: header(name) is case-insensitive and equals the joined value', () => {
    fc.assert(
      fc.property(headerEntries, caseMask, (entries, lookupCase) => {
        // Null-prototype so that a '__proto__' name becomes an own field, as JSON.parse makes it.
        const fields: Record<string, string[]> = Object.create(null)
        for (const { name, upper, values } of entries) fields[withCase(name, upper)] = values
        const json = JSON.stringify(restEvent({ multiValueHeaders: fields }))
        checkHeaders(() => JSON.parse(json), fields, lookupCase)
      }),
    )
  })

  it('single-value headers whose names differ only by case are combined the same way', () => {
    fc.assert(
      fc.property(headerEntries, caseMask, (entries, lookupCase) => {
        const single: Record<string, string> = Object.create(null)
        for (const { name, upper, values } of entries) single[withCase(name, upper)] = values[0] ?? ''
        const fields: Record<string, string[]> = Object.create(null)
        for (const key of Object.keys(single)) fields[key] = [single[key] ?? '']
        const json = JSON.stringify(restEvent({ headers: single }))
        checkHeaders(() => JSON.parse(json), fields, lookupCase)
      }),
    )
  })
})

const queryUnit = fc.constantFrom(
  '%',
  '&',
  '=',
  '+',
  '?',
  ';',
  '#',
  'a',
  'Z',
  '0',
  'F',
  'é',
  '✓',
  '\uD800',
  '\uDC00',
  ' ',
  '%2',
  '%41',
  '%E0',
  '%zz',
  '%C3%A9',
  '%F0%9F',
  '[',
  ']',
)
const rawQueryString = fc.string({ unit: queryUnit, maxLength: 40 })

describe('query (property)', () => {
  it('any payload 2.0 rawQueryString: never throws, rawQuery is kept, query and queryValues agree', () => {
    fc.assert(
      fc.property(rawQueryString, (raw) => {
        const view = httpRequestView(httpApiEvent(raw))
        expect(view.rawQuery).toBe(raw.startsWith('?') ? raw.slice(1) : raw)
        for (const [name, value] of Object.entries(view.query)) {
          expect(typeof value).toBe('string')
          expect(view.queryValues(name).at(-1)).toBe(value)
        }
      }),
    )
  })

  it('any ALB parameter text: never throws and rawQuery keeps it as received', () => {
    fc.assert(
      fc.property(rawQueryString, rawQueryString, (name, value) => {
        const view = httpRequestView(
          albEvent({ multiValueQueryStringParameters: { [name]: [value, value] } }),
        )
        expect(view.rawQuery).toBe(`${name}=${value}&${name}=${value}`)
        for (const decoded of Object.values(view.query)) expect(typeof decoded).toBe('string')
      }),
    )
  })

  const pairs = fc.array(
    fc.tuple(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 12 })),
    { maxLength: 10 },
  )

  function grouped(list: ReadonlyArray<readonly [string, string]>): Map<string, string[]> {
    const byName = new Map<string, string[]>()
    for (const [name, value] of list) byName.set(name, [...(byName.get(name) ?? []), value])
    return byName
  }

  it('payload 2.0: queryValues round-trips encoded values and matches URLSearchParams', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const raw = list.map(([n, v]) => `${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('&')
        const view = httpRequestView(httpApiEvent(raw))
        const reference = new URLSearchParams(raw)
        for (const [name, values] of grouped(list)) {
          expect(view.queryValues(name)).toEqual(values)
          expect(view.queryValues(name)).toEqual(reference.getAll(name))
          expect(view.query[name]).toBe(values.at(-1))
        }
      }),
    )
  })

  it('REST: the re-encoded rawQuery parses back to exactly the decoded parameters', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const multi = Object.fromEntries(grouped(list))
        const view = httpRequestView(restEvent({ multiValueQueryStringParameters: multi }))
        const reparsed = new URLSearchParams(view.rawQuery)
        for (const [name, values] of Object.entries(multi)) {
          expect(view.queryValues(name)).toEqual(values)
          expect(reparsed.getAll(name)).toEqual(values)
        }
      }),
    )
  })

  it('ALB: encoded parameters decode back to the original values', () => {
    fc.assert(
      fc.property(pairs, (list) => {
        const byName = grouped(list)
        const multi = Object.fromEntries(
          [...byName].map(([name, values]) => [encodeURIComponent(name), values.map(encodeURIComponent)]),
        )
        const view = httpRequestView(albEvent({ multiValueQueryStringParameters: multi }))
        for (const [name, values] of byName) expect(view.queryValues(name)).toEqual(values)
      }),
    )
  })
})

describe('base64 body (property)', () => {
  it('accepts exactly the canonical encodings (differential against a Node round trip)', () => {
    const base64ish = fc.string({
      unit: fc.constantFrom('A', 'Q', 'R', 'g', 'w', '+', '/', '=', '0', '9', '-', '_', ' ', '!'),
      maxLength: 12,
    })
    fc.assert(
      fc.property(fc.oneof(base64ish, fc.base64String({ maxLength: 12 })), (body) => {
        const canonical = Buffer.from(body, 'base64').toString('base64')
        const valid = body === canonical || body === canonical.replace(/=+$/, '')
        const view = httpRequestView(restEvent({ body, isBase64Encoded: true }))
        if (valid) {
          expect(view.rawBody).toEqual(Buffer.from(body, 'base64'))
        } else {
          const error = (() => {
            try {
              return view.rawBody
            } catch (caught) {
              return caught
            }
          })()
          expect(isLiftHttpError(error) && error.code === 'invalid-body-encoding').toBe(true)
        }
      }),
      { numRuns: 500 },
    )
  })

  it('decodes any bytes, with or without padding', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (bytes, stripPadding) => {
        const encoded = Buffer.from(bytes).toString('base64')
        const body = stripPadding ? encoded.replace(/=+$/, '') : encoded
        expect(httpRequestView(restEvent({ body, isBase64Encoded: true })).rawBody).toEqual(
          Buffer.from(bytes),
        )
      }),
    )
  })
})

const scalar = fc.oneof(fc.constant(null), fc.constant(undefined), fc.string(), fc.integer(), fc.boolean())
const jsonish = fc.oneof(
  scalar,
  fc.array(fc.oneof(scalar, fc.string()), { maxLength: 3 }),
  fc.dictionary(
    fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'Cookie', 'X-Forwarded-For', 'host')),
    fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })),
    { maxKeys: 4 },
  ),
)
const eventLike = fc.record(
  {
    version: fc.oneof(fc.constantFrom('1.0', '2.0'), jsonish),
    httpMethod: fc.oneof(fc.constantFrom('GET', 'post', ''), jsonish),
    resource: jsonish,
    path: jsonish,
    rawPath: jsonish,
    rawQueryString: fc.oneof(rawQueryString, jsonish),
    routeKey: jsonish,
    headers: jsonish,
    multiValueHeaders: jsonish,
    queryStringParameters: jsonish,
    multiValueQueryStringParameters: jsonish,
    cookies: fc.oneof(fc.array(fc.oneof(fc.string(), scalar)), jsonish),
    pathParameters: jsonish,
    body: fc.oneof(fc.string(), fc.base64String(), jsonish),
    isBase64Encoded: fc.oneof(fc.boolean(), jsonish),
    requestContext: fc.oneof(
      jsonish,
      fc.record(
        {
          elb: jsonish,
          http: fc.oneof(
            jsonish,
            fc.record(
              { method: fc.oneof(fc.constantFrom('GET', 'put'), jsonish), sourceIp: jsonish, path: jsonish },
              { requiredKeys: [] },
            ),
          ),
          identity: jsonish,
          connectionId: jsonish,
          eventType: fc.oneof(fc.constantFrom('CONNECT', 'MESSAGE'), jsonish),
          domainName: fc.oneof(fc.constantFrom('x.lambda-url.eu-west-1.on.aws', 'a.example.com'), jsonish),
          apiId: jsonish,
          routeKey: fc.oneof(fc.constant('$default'), jsonish),
          requestId: jsonish,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: [] },
)

function readEverything(view: HttpRequestView): void {
  void [view.source, view.method, view.path, view.rawQuery, { ...view.query }, view.queryValues('a')]
  void [{ ...view.headers }, view.header('cookie'), { ...view.cookies }, { ...view.pathParameters }]
  void [view.host, view.sourceIp, view.requestId, view.routeKey]
  try {
    void view.rawBody
  } catch (error) {
    expect(isLiftHttpError(error) && error.code === 'invalid-body-encoding').toBe(true)
  }
}

describe('arbitrary events (property)', () => {
  it('httpRequestView returns a view or throws LiftHttpError 400, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(eventLike, fc.anything()), (event) => {
        let view: HttpRequestView | undefined
        try {
          view = httpRequestView(event)
        } catch (error) {
          expect(
            isLiftHttpError(error) && error.statusCode === 400 && error.code === 'unsupported-event',
          ).toBe(true)
          expect(isHttpEvent(event)).toBe(false)
          return
        }
        expect(isHttpEvent(event)).toBe(true)
        expect(view.method).toBe(view.method.toUpperCase())
        readEverything(view)
      }),
      { numRuns: 1000 },
    )
  })
})
