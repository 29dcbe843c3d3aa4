// The request description shared by the HTTP event builders, and its normalized form: one ordered list
// of header fields and query pairs, a body already encoded the way AWS puts it into an event.
import { traceId } from './aws-ids'

/** One value or several values of a repeated header field or query parameter. */
export type FieldValues = string | readonly string[]

/** What the HTTP event builders accept. Every field is optional; the defaults describe `GET /`. */
export interface HttpEventInit {
  /** HTTP method, any case (default `GET`). */
  method?: string
  /** Path as sent on the wire, starting with `/`, without query string (default `/`). */
  path?: string
  /** Header fields; an array value is a field repeated once per element. */
  headers?: Readonly<Record<string, FieldValues>>
  /** Decoded query parameters; an array value is a parameter repeated once per element. */
  query?: Readonly<Record<string, FieldValues>>
  /** Cookies the client sends (`name → value`), placed where the source puts them. */
  cookies?: Readonly<Record<string, string>>
  /**
   * Request body: a string as is; a Buffer/Uint8Array as base64 with `isBase64Encoded: true`
   * (content-type application/octet-stream unless given); any other object as JSON (content-type
   * application/json unless given).
   */
  body?: string | Uint8Array | object
  /** The string `body` is already base64 (default false). */
  isBase64Encoded?: boolean
  /** Values of the route's path variables. */
  pathParameters?: Readonly<Record<string, string>>
  /** Stage variables (API Gateway only). */
  stageVariables?: Readonly<Record<string, string>>
  /**
   * Client IP address (default `203.0.113.10`, a documentation address). A given X-Forwarded-For header gets
   * it appended, as ALB and API Gateway append the peer's address to the client's header.
   */
  sourceIp?: string
  /** requestContext.requestId (default: random, in the source's format). */
  requestId?: string
  /** API Gateway route key, e.g. `GET /items/{id}` (default `$default` for HTTP APIs, `METHOD path` for REST). */
  routeKey?: string
  /** API Gateway stage (default `$default` for HTTP APIs, `prod` for REST APIs). */
  stage?: string
  /** Host name the client called (default: the source's generated domain). */
  host?: string
  /** Request time in epoch milliseconds (default: now). */
  timeEpoch?: number
  /** requestContext.authorizer as an API Gateway authorizer would fill it. */
  authorizer?: Readonly<Record<string, unknown>>
}

/** A header field or query parameter as one (name, value) pair. */
export type FieldPair = readonly [name: string, value: string]

/** The init with every default applied and every value in the form an event carries it. */
export interface NormalizedHttpRequest {
  readonly method: string
  readonly path: string
  /** Header fields in order, names as given (defaults use Title-Case names). */
  readonly headers: readonly FieldPair[]
  /** Decoded query pairs in order. */
  readonly query: readonly FieldPair[]
  /** Cookies from `init.cookies` as `name=value`, not yet placed into a header or array. */
  readonly cookies: readonly string[]
  readonly body: string | undefined
  readonly isBase64Encoded: boolean
  readonly sourceIp: string
  readonly host: string
  readonly timeEpoch: number
}

export const DEFAULT_SOURCE_IP = '203.0.113.10'

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Applies the defaults shared by every HTTP source; `defaultHost` is the source's generated domain. */
export function normalizeHttpInit(init: HttpEventInit, defaultHost: string): NormalizedHttpRequest {
  const method = (init.method ?? 'GET').toUpperCase()
  const path = init.path ?? '/'
  if (!path.startsWith('/') || path.includes('?') || path.includes('#')) {
    throw new TypeError(
      `path must start with '/' and contain no '?' or '#' (got ${JSON.stringify(path)}); pass the query as init.query`,
    )
  }
  const timeEpoch = init.timeEpoch ?? Date.now()
  const sourceIp = init.sourceIp ?? DEFAULT_SOURCE_IP
  const { body, isBase64Encoded, contentType } = encodeBody(init)
  const given = expandFields(init.headers)
  const host = init.host ?? lastValue(given, 'host') ?? defaultHost

  const defaults: FieldPair[] = [
    ['Host', host],
    ['X-Forwarded-For', sourceIp],
    ['X-Forwarded-Port', '443'],
    ['X-Forwarded-Proto', 'https'],
    ['X-Amzn-Trace-Id', traceId(timeEpoch)],
  ]
  if (contentType) defaults.push(['Content-Type', contentType])
  if (body !== undefined) {
    defaults.push(['Content-Length', String(Buffer.byteLength(body, isBase64Encoded ? 'base64' : 'utf8'))])
  }
  const headers = [
    ...appendForwardedFor(given, sourceIp),
    ...defaults.filter(([name]) => lastValue(given, name) === undefined),
  ]
  const cookies = Object.entries(init.cookies ?? {}).map(([name, value]) => `${name}=${value}`)

  return Object.freeze({
    method,
    path,
    headers,
    query: expandFields(init.query),
    cookies,
    body,
    isBase64Encoded,
    sourceIp,
    host,
    timeEpoch,
  })
}

/** The last value of a field, compared case-insensitively. */
export function lastValue(pairs: readonly FieldPair[], name: string): string | undefined {
  const wanted = name.toLowerCase()
  let found: string | undefined
  for (const [fieldName, value] of pairs) if (fieldName.toLowerCase() === wanted) found = value
  return found
}

/**
 * Groups pairs by name (exact or lower-cased) keeping every value in order. A Map, not an object: names
 * such as `__proto__` or `constructor` are ordinary names here.
 */
export function groupFields(pairs: readonly FieldPair[], lowerCase: boolean): Map<string, string[]> {
  const grouped = new Map<string, string[]>()
  for (const [rawName, value] of pairs) {
    const name = lowerCase ? rawName.toLowerCase() : rawName
    const values = grouped.get(name)
    if (values) values.push(value)
    else grouped.set(name, [value])
  }
  return grouped
}

/** The groups as an event map, each group's values kept as an array (multi-value maps). */
export function multiValueFields(grouped: Map<string, string[]>): Record<string, string[]> {
  return Object.fromEntries(grouped)
}

/** The groups as an event map, each group reduced to one string by `pick` (last value, or values joined). */
export function flattenFields(
  grouped: Map<string, string[]>,
  pick: (values: string[]) => string,
): Record<string, string> {
  return Object.fromEntries([...grouped].map(([name, values]) => [name, pick(values)]))
}

/** The last of a group's values (a group is never empty). */
export function lastOf(values: readonly string[]): string {
  return values[values.length - 1]!
}

/** The query pairs percent-encoded as a client puts them on the wire (`a=1&b=x%20y`). */
export function encodeQuery(pairs: readonly FieldPair[]): string {
  return pairs
    .map(([name, value]) => `${encodeQueryComponent(name)}=${encodeQueryComponent(value)}`)
    .join('&')
}

/** Percent-encoding as URLSearchParams' UTF-8 encoder does it: a lone surrogate becomes U+FFFD, not a URIError. */
export function encodeQueryComponent(text: string): string {
  return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'))
}

/** Splits `Cookie` header values into single `name=value` cookies. */
export function splitCookieHeader(values: readonly string[]): string[] {
  return values.flatMap((value) => value.split(';').map((part) => part.trim())).filter((part) => part !== '')
}

/** The headers with `init.cookies` merged into one Cookie field (REST API and ALB carry cookies there). */
export function headersWithCookieField(request: NormalizedHttpRequest): FieldPair[] {
  if (request.cookies.length === 0) return [...request.headers]
  const ours = request.cookies.join('; ')
  const headers = [...request.headers]
  let index = -1
  headers.forEach(([name], i) => {
    if (name.toLowerCase() === 'cookie') index = i
  })
  const existing = headers[index]
  if (existing) headers[index] = [existing[0], `${existing[1]}; ${ours}`]
  else headers.push(['Cookie', ours])
  return headers
}

/**
 * A client's own X-Forwarded-For gets the address the AWS front door saw appended (ALB's default `append`
 * mode, and API Gateway), so the last entry stays `sourceIp` whatever the client sent.
 */
function appendForwardedFor(given: readonly FieldPair[], sourceIp: string): FieldPair[] {
  const headers = [...given]
  const index = headers.findLastIndex(([name]) => name.toLowerCase() === 'x-forwarded-for')
  const field = headers[index]
  if (field) headers[index] = [field[0], `${field[1]}, ${sourceIp}`]
  return headers
}

function expandFields(fields: Readonly<Record<string, FieldValues>> | undefined): FieldPair[] {
  const pairs: FieldPair[] = []
  for (const [name, values] of Object.entries(fields ?? {})) {
    if (typeof values === 'string') pairs.push([name, values])
    else for (const value of values) pairs.push([name, value])
  }
  return pairs
}

function encodeBody(init: HttpEventInit): {
  body: string | undefined
  isBase64Encoded: boolean
  contentType: string | undefined
} {
  const { body } = init
  if (body === undefined) return { body: undefined, isBase64Encoded: false, contentType: undefined }
  if (typeof body === 'string')
    return { body, isBase64Encoded: init.isBase64Encoded ?? false, contentType: undefined }
  if (body instanceof Uint8Array) {
    return {
      body: Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('base64'),
      isBase64Encoded: true,
      contentType: 'application/octet-stream',
    }
  }
  return { body: JSON.stringify(body), isBase64Encoded: false, contentType: 'application/json' }
}
