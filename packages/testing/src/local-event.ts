// An incoming node:http request as the API Gateway HTTP API (payload 2.0) event AWS would send for it.
import type { IncomingMessage } from 'node:http'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { clfTime, httpApiRequestId, TEST_ACCOUNT_ID, traceId } from './aws-ids'
import { httpApiPath } from './http-api-v2-shape'
import { splitCookieHeader } from './http-event-init'
import type { RouteMatch } from './local-routes'

/** The parts of a request taken before the route is known. */
export interface RequestTarget {
  readonly method: string
  /** Path as received on the wire (percent-encoding kept). */
  readonly rawPath: string
  /** Query string as received, without '?'. */
  readonly rawQueryString: string
}

const TEXT_TYPES =
  /^(text\/|application\/(json|xml|javascript|x-www-form-urlencoded|graphql)\b)|[+/](json|xml)\b/

/** Method, raw path and raw query of a request; undefined when the request target is not a path. */
export function requestTarget(request: IncomingMessage): RequestTarget | undefined {
  const url = request.url ?? ''
  if (!url.startsWith('/')) return undefined
  const queryStart = url.indexOf('?')
  return {
    method: (request.method ?? 'GET').toUpperCase(),
    rawPath: queryStart === -1 ? url : url.slice(0, queryStart),
    rawQueryString: queryStart === -1 ? '' : url.slice(queryStart + 1),
  }
}

/** True when API Gateway would pass a body of this content type as text rather than base64. */
export function isTextContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && TEXT_TYPES.test(contentType.toLowerCase())
}

/**
 * The payload 2.0 event: lower-case headers with repeated fields joined by ',', cookies from the
 * Cookie header(s) in `cookies`, X-Forwarded-* added as API Gateway adds them (the client address is
 * appended to any X-Forwarded-For the client sent), and the body as text or base64 by content type.
 */
export function localEvent(
  request: IncomingMessage,
  target: RequestTarget,
  route: RouteMatch,
  body: Buffer,
  timeEpoch: number,
): APIGatewayProxyEventV2 {
  const sourceIp = clientAddress(request)
  const fields = headerFields(request)
  const cookies = splitCookieHeader(fields.get('cookie') ?? [])
  fields.delete('cookie')
  const forwardedFor = fields.get('x-forwarded-for')
  fields.set('x-forwarded-for', [...(forwardedFor ?? []), sourceIp])
  fields.set('x-forwarded-proto', ['http'])
  fields.set('x-forwarded-port', [String(request.socket.localPort)])
  if (!fields.has('x-amzn-trace-id')) fields.set('x-amzn-trace-id', [traceId(timeEpoch)])
  const headers = Object.fromEntries([...fields].map(([name, values]) => [name, values.join(',')]))
  const domainName = (headers.host ?? 'localhost').replace(/:\d+$/, '')

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: httpApiPath(target.rawPath),
    rawQueryString: target.rawQueryString,
    headers,
    requestContext: {
      accountId: TEST_ACCOUNT_ID,
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0]!,
      http: {
        method: target.method,
        path: httpApiPath(target.rawPath),
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: httpApiRequestId(),
      routeKey: route.routeKey,
      stage: '$default',
      time: clfTime(timeEpoch),
      timeEpoch,
    },
    isBase64Encoded: false,
  }
  if (cookies.length > 0) event.cookies = cookies
  const query = queryParameters(target.rawQueryString)
  if (query) event.queryStringParameters = query
  if (route.pathParameters) event.pathParameters = { ...route.pathParameters }
  if (body.length > 0) {
    event.isBase64Encoded = !isTextContentType(headers['content-type'])
    event.body = body.toString(event.isBase64Encoded ? 'base64' : 'utf8')
  }
  return event
}

function headerFields(request: IncomingMessage): Map<string, string[]> {
  const fields = new Map<string, string[]>()
  const raw = request.rawHeaders
  for (let index = 0; index < raw.length; index += 2) {
    const name = raw[index]!.toLowerCase()
    const values = fields.get(name)
    if (values) values.push(raw[index + 1]!)
    else fields.set(name, [raw[index + 1]!])
  }
  return fields
}

/** Decoded query values, repeated names joined with ',' as HTTP APIs do; undefined when there is none. */
function queryParameters(rawQuery: string): Record<string, string> | undefined {
  if (rawQuery === '') return undefined
  const grouped = new Map<string, string[]>()
  for (const [name, value] of new URLSearchParams(rawQuery)) {
    const values = grouped.get(name)
    if (values) values.push(value)
    else grouped.set(name, [value])
  }
  return Object.fromEntries([...grouped].map(([name, values]) => [name, values.join(',')]))
}

function clientAddress(request: IncomingMessage): string {
  const address = request.socket.remoteAddress ?? ''
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address
}
