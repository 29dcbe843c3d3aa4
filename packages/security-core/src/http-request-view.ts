import { isIP } from 'node:net'
import { LiftHttpError } from './errors'
import { decodeBody } from './http-view/body'
import { parseCookies } from './http-view/cookies'
import { describeNonHttpEvent, detectHttpSource } from './http-view/detect-source'
import { findHeader, normalizeHeaders } from './http-view/headers'
import {
  decodeQueryComponent,
  encodeQuery,
  joinEncodedQuery,
  parameterPairs,
  parseQueryString,
  type QueryPair,
} from './http-view/query'
import {
  isRecord,
  nonEmptyString,
  nullPrototypeRecord,
  recordOrUndefined,
  scalarToString,
  type UnknownRecord,
} from './http-view/values'
import { createObjectSlot } from './object-slot'

/**
 * Which kind of HTTP event a view reads: API Gateway REST (v1), HTTP API (v2), ALB, Function URL, WebSocket.
 */
export type HttpEventSource = 'apigw-rest' | 'apigw-http' | 'alb' | 'function-url' | 'websocket'

/** One read-only view over any AWS HTTP event; every Lift middleware reads the request through it. */
export interface HttpRequestView {
  readonly source: HttpEventSource
  /** Upper-case. WebSocket events carry none: 'GET' for CONNECT (the upgrade request), '' otherwise. */
  readonly method: string
  /** Path as the event holds it, '/' if absent (an HTTP API has already percent-decoded it; others keep the encoding). */
  readonly path: string
  /** Without '?', percent-encoded as on the wire. */
  readonly rawQuery: string
  /** Decoded; repeated names: last value. */
  readonly query: Readonly<Record<string, string>>
  /** Every value of a repeated parameter, in order. */
  queryValues(name: string): readonly string[]
  /** Lower-case names; repeated fields joined with ', ' (cookie with '; ', set-cookie never joined). */
  readonly headers: Readonly<Record<string, string>>
  /** Case-insensitive. */
  header(name: string): string | undefined
  /** From the payload 2.0 `cookies` array or the cookie header. */
  readonly cookies: Readonly<Record<string, string>>
  readonly pathParameters: Readonly<Record<string, string>>
  /** Host header, else requestContext.domainName. */
  readonly host: string | undefined
  readonly sourceIp: string | undefined
  /** Lazy; base64-decoded when isBase64Encoded; invalid base64 → LiftHttpError 400 'invalid-body-encoding'. */
  readonly rawBody: Buffer | undefined
  /** requestContext.requestId (ALB: x-amzn-trace-id). */
  readonly requestId: string | undefined
  /** Payload 2.0 / WebSocket routeKey, REST `${method} ${resource}`; undefined for ALB and Function URL. */
  readonly routeKey: string | undefined
}

/**
 * True when `event` is an HTTP event `httpRequestView` can read (API Gateway REST or HTTP API, ALB, Function
 * URL, WebSocket); a scheduled or SQS event gives false.
 * @example
 * ```ts
 * import { isHttpEvent } from '@lift/security-core'
 *
 * export const main = async (event: unknown) => {
 *   if (!isHttpEvent(event)) return undefined // e.g. a scheduled warm-up: no HTTP response
 *   return { statusCode: 200, body: 'ok' }
 * }
 * ```
 */
export function isHttpEvent(event: unknown): boolean {
  return detectHttpSource(event) !== undefined
}

/**
 * The view of `event`, memoized per event object so that every middleware shares one view (and one decoded
 * body). Throws LiftHttpError 400 'unsupported-event' when `event` is not an HTTP event.
 * @example
 * ```ts
 * import { httpRequestView } from '@lift/security-core'
 *
 * const view = httpRequestView(event)
 * const name = view.query.name ?? 'world'
 * const ip = view.sourceIp
 * ```
 */
export function httpRequestView(event: unknown): HttpRequestView {
  if (typeof event === 'object' && event !== null) {
    const cached = views.get(event)
    if (cached !== undefined) return cached
  }
  const source = detectHttpSource(event)
  if (source === undefined) {
    throw new LiftHttpError(400, { code: 'unsupported-event', detail: describeNonHttpEvent(event) })
  }
  const view = new EventView(event as UnknownRecord, source)
  views.set(event as UnknownRecord, view)
  return view
}

// An object slot (a private field on the event) and not a WeakMap: a WeakMap whose new value points back to
// its new key is an ephemeron the garbage collector keeps revisiting. Counting that GC time, one view cost
// about 3.5 µs more per JSON-parsed event (the Lambda runtime parses every event) through a WeakMap than
// through the slot (0.3 µs), and about the same for spread copies. A frozen event falls back to a WeakMap.
const views = createObjectSlot<HttpRequestView>()
const NO_VALUES: readonly string[] = Object.freeze([])
const NOT_READ: unique symbol = Symbol('not read')

// Cheap fields are read in the constructor; everything that allocates is computed on first read and kept in
// private fields, which stay writable after Object.freeze (they are not properties).
class EventView implements HttpRequestView {
  readonly source: HttpEventSource
  readonly method: string
  readonly path: string
  readonly #event: UnknownRecord
  readonly #context: UnknownRecord | undefined
  // A body parser later replaces event.body with a parsed object; the view keeps the body as received.
  readonly #body: unknown
  readonly #isBase64Encoded: boolean
  #headers: Readonly<Record<string, string>> | undefined
  #rawQuery: string | undefined
  #queryPairs: readonly QueryPair[] | undefined
  #query: Readonly<Record<string, string>> | undefined
  #queryValues: Map<string, readonly string[]> | undefined
  #cookies: Readonly<Record<string, string>> | undefined
  #pathParameters: Readonly<Record<string, string>> | undefined
  #rawBody: Buffer | undefined | typeof NOT_READ = NOT_READ
  #bodyError: unknown

  // Arrow functions, not methods, so that `const { header } = httpRequestView(event)` keeps working.
  readonly header = (name: string): string | undefined => {
    if (typeof name !== 'string') return undefined
    const lowerName = name.toLowerCase()
    // The cookie header of payload 2.0 is rebuilt from the cookies array, which the full map does.
    if (this.#headers !== undefined || (lowerName === 'cookie' && isPayload2(this.source))) {
      return this.headers[lowerName]
    }
    return findHeader(this.#event.headers, this.#event.multiValueHeaders, lowerName)
  }

  readonly queryValues = (name: string): readonly string[] => {
    if (this.#queryValues === undefined) {
      const grouped = new Map<string, string[]>()
      for (const [key, value] of this.#decodedQueryPairs()) {
        const values = grouped.get(key)
        if (values === undefined) grouped.set(key, [value])
        else values.push(value)
      }
      for (const values of grouped.values()) Object.freeze(values)
      this.#queryValues = grouped
    }
    return (typeof name === 'string' ? this.#queryValues.get(name) : undefined) ?? NO_VALUES
  }

  constructor(event: UnknownRecord, source: HttpEventSource) {
    this.#event = event
    this.#context = recordOrUndefined(event.requestContext)
    this.#body = event.body
    this.#isBase64Encoded = event.isBase64Encoded === true
    this.source = source
    this.method = readMethod(event, this.#context, source)
    this.path = readPath(event, this.#context, source)
    Object.freeze(this)
  }

  get headers(): Readonly<Record<string, string>> {
    if (this.#headers === undefined) {
      const headers = normalizeHeaders(this.#event.headers, this.#event.multiValueHeaders)
      // Payload 2.0 moves cookies out of the headers; put them back the way the client sent them.
      const cookieList = this.#payload2Cookies()
      if (headers.cookie === undefined && cookieList.length > 0) headers.cookie = cookieList.join('; ')
      this.#headers = Object.freeze(headers)
    }
    return this.#headers
  }

  get rawQuery(): string {
    if (this.#rawQuery === undefined) {
      if (isPayload2(this.source)) this.#rawQuery = readRawQueryString(this.#event)
      else if (this.source === 'alb') this.#rawQuery = joinEncodedQuery(this.#parameterPairs())
      else this.#rawQuery = encodeQuery(this.#parameterPairs())
    }
    return this.#rawQuery
  }

  get query(): Readonly<Record<string, string>> {
    if (this.#query === undefined) {
      const query = nullPrototypeRecord<string>()
      for (const [name, value] of this.#decodedQueryPairs()) query[name] = value
      this.#query = Object.freeze(query)
    }
    return this.#query
  }

  get cookies(): Readonly<Record<string, string>> {
    if (this.#cookies === undefined) {
      let cookieStrings = this.#payload2Cookies()
      if (cookieStrings.length === 0) {
        const cookieHeader = this.header('cookie')
        cookieStrings = cookieHeader === undefined ? [] : [cookieHeader]
      }
      this.#cookies = Object.freeze(parseCookies(cookieStrings))
    }
    return this.#cookies
  }

  get pathParameters(): Readonly<Record<string, string>> {
    if (this.#pathParameters === undefined) {
      const parameters = nullPrototypeRecord<string>()
      const raw = this.#event.pathParameters
      if (isRecord(raw)) {
        for (const name of Object.keys(raw)) {
          const value = scalarToString(raw[name])
          if (value !== undefined) parameters[name] = value
        }
      }
      this.#pathParameters = Object.freeze(parameters)
    }
    return this.#pathParameters
  }

  get host(): string | undefined {
    return nonEmptyString(this.header('host')) ?? nonEmptyString(this.#context?.domainName)
  }

  get sourceIp(): string | undefined {
    switch (this.source) {
      case 'alb':
        return lastForwardedFor(this.header('x-forwarded-for'))
      case 'apigw-http':
      case 'function-url':
        return nonEmptyString(recordOrUndefined(this.#context?.http)?.sourceIp)
      default:
        return nonEmptyString(recordOrUndefined(this.#context?.identity)?.sourceIp)
    }
  }

  get rawBody(): Buffer | undefined {
    if (this.#rawBody === NOT_READ) {
      if (this.#bodyError !== undefined) throw this.#bodyError
      try {
        this.#rawBody = decodeBody(this.#body, this.#isBase64Encoded)
      } catch (error) {
        this.#bodyError = error
        throw error
      }
    }
    return this.#rawBody
  }

  get requestId(): string | undefined {
    if (this.source === 'alb') return nonEmptyString(this.header('x-amzn-trace-id'))
    return nonEmptyString(this.#context?.requestId)
  }

  get routeKey(): string | undefined {
    switch (this.source) {
      case 'alb':
      case 'function-url':
        return undefined
      case 'apigw-rest': {
        const contextRouteKey = nonEmptyString(this.#context?.routeKey)
        if (contextRouteKey !== undefined) return contextRouteKey
        const resource = nonEmptyString(this.#event.resource)
        return resource === undefined ? undefined : `${this.method} ${resource}`
      }
      default:
        return nonEmptyString(this.#context?.routeKey) ?? nonEmptyString(this.#event.routeKey)
    }
  }

  #payload2Cookies(): string[] {
    const cookies = isPayload2(this.source) ? this.#event.cookies : undefined
    return Array.isArray(cookies)
      ? cookies.filter((cookie): cookie is string => typeof cookie === 'string')
      : []
  }

  #parameterPairs(): readonly QueryPair[] {
    if (this.#queryPairs === undefined) {
      this.#queryPairs = isPayload2(this.source)
        ? parseQueryString(this.rawQuery)
        : parameterPairs(this.#event.queryStringParameters, this.#event.multiValueQueryStringParameters)
    }
    return this.#queryPairs
  }

  // Only ALB hands over parameters still encoded; payload 2.0 pairs are decoded by parseQueryString and REST
  // API Gateway decodes them itself.
  #decodedQueryPairs(): readonly QueryPair[] {
    const pairs = this.#parameterPairs()
    if (this.source !== 'alb') return pairs
    return pairs.map(([name, value]) => [decodeQueryComponent(name), decodeQueryComponent(value)] as const)
  }
}
Object.freeze(EventView.prototype)

function isPayload2(source: HttpEventSource): boolean {
  return source === 'apigw-http' || source === 'function-url'
}

function readMethod(
  event: UnknownRecord,
  context: UnknownRecord | undefined,
  source: HttpEventSource,
): string {
  if (isPayload2(source)) return String(recordOrUndefined(context?.http)?.method).toUpperCase()
  const method = nonEmptyString(event.httpMethod)
  if (method !== undefined) return method.toUpperCase()
  // WebSocket: only the CONNECT event stands for an HTTP request (the GET upgrade, RFC 6455 §4.1).
  return context?.eventType === 'CONNECT' ? 'GET' : ''
}

function readPath(event: UnknownRecord, context: UnknownRecord | undefined, source: HttpEventSource): string {
  const path = isPayload2(source)
    ? (nonEmptyString(event.rawPath) ?? nonEmptyString(recordOrUndefined(context?.http)?.path))
    : nonEmptyString(event.path)
  return path ?? '/'
}

function readRawQueryString(event: UnknownRecord): string {
  const raw = event.rawQueryString
  if (typeof raw === 'string') return raw.startsWith('?') ? raw.slice(1) : raw
  // No rawQueryString (hand-built events): fall back to the decoded parameters.
  return encodeQuery(parameterPairs(event.queryStringParameters, undefined))
}

/**
 * ALB appends the address of the peer that connected to it to the END of X-Forwarded-For; every entry to its
 * left came from the client (or from proxies in front) and can be forged. So the last entry is the one this
 * load balancer vouches for. Behind another proxy (e.g. CloudFront) that last entry is the proxy's address;
 * trusting further hops is the application's decision. With the load balancer attribute
 * routing.http.xff_client_port.enabled, ALB writes that entry as `ip:port` (IPv6 as `[ip]:port`); the port
 * is dropped. Anything else that is not an IP address yields undefined.
 */
function lastForwardedFor(forwardedFor: string | undefined): string | undefined {
  if (forwardedFor === undefined) return undefined
  const last = forwardedFor.slice(forwardedFor.lastIndexOf(',') + 1).trim()
  if (isIP(last) !== 0) return last
  const withPort = ADDRESS_WITH_PORT.exec(last)
  if (withPort === null || Number(withPort[3]) > 65535) return undefined
  const ipv4 = withPort[1]
  if (ipv4 !== undefined) return isIP(ipv4) === 4 ? ipv4 : undefined
  const ipv6 = withPort[2]!
  return isIP(ipv6) === 6 ? ipv6 : undefined
}

const ADDRESS_WITH_PORT = /^(?:([0-9.]+)|\[([0-9A-Fa-f:.]+)\]):([0-9]{1,5})$/
