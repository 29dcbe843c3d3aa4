import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { apiGatewayV2Event, stagePrefix } from './api-gateway-v2-event'
import type { HttpEventInit } from './http-event-init'

/** The request a signer sees: what `signRequest` from @lift/request-signing accepts. */
export interface SignableTestRequest {
  method: string
  url: URL
  /** Lower-case names, as the event will carry them. */
  headers: Record<string, string>
  body?: string
}

/**
 * A function with the shape of `signRequest` from @lift/request-signing: it returns the header fields
 * to add (Signature-Input, Signature, Content-Digest). Taken as an argument rather than imported, because
 * @lift/request-signing tests with @lift/testing and a dependency back would be a build cycle.
 */
export type TestRequestSigner<SignOptions> = (request: SignableTestRequest, options: SignOptions) => object

/**
 * The signer and its own options, side by side: `{ sign: signRequest, keyId, key, alg }`.
 *
 * @example
 * ```ts
 * import { type SignRequestOptions, signRequest } from '@lift/request-signing'
 * import type { SignedTestEventOptions } from '@lift/testing'
 *
 * const options: SignedTestEventOptions<SignRequestOptions> = {
 *   sign: signRequest,
 *   keyId: 'billing',
 *   key: 'a-shared-hmac-secret-of-32-bytes!',
 *   alg: 'hmac-sha256',
 * }
 * ```
 */
export type SignedTestEventOptions<SignOptions> = SignOptions & { sign: TestRequestSigner<SignOptions> }

/** The request {@link signedTestEvent} signs and turns into an event; every field is optional. */
export interface SignedTestEventInit
  extends Pick<
    HttpEventInit,
    'requestId' | 'routeKey' | 'stage' | 'pathParameters' | 'sourceIp' | 'timeEpoch'
  > {
  /** HTTP method (default GET without a body, POST with one). */
  method?: string
  /** Full URL; its host becomes the Host header and its scheme X-Forwarded-Proto. Default https://api.example.com/orders. */
  url?: string | URL
  headers?: Readonly<Record<string, string>>
  /** Request body; `content-type: application/json` is sent with it unless a content-type is given. */
  body?: string
}

/**
 * An API Gateway HTTP API (payload 2.0) event for a request signed by `options.sign` (normally
 * `signRequest` from @lift/request-signing) with the rest of `options`. The event carries exactly the
 * method, path, query, host and headers that were signed, so it verifies with `verifySignature`.
 *
 * @example
 * ```ts
 * import { signRequest } from '@lift/request-signing'
 * import { lambdaContext, signedTestEvent } from '@lift/testing'
 *
 * const secret = 'a-shared-hmac-secret-of-32-bytes!'
 * const event = signedTestEvent(
 *   { method: 'POST', url: 'https://api.example.com/orders?dry=1', body: '{"qty":1}' },
 *   { sign: signRequest, keyId: 'billing', key: secret, alg: 'hmac-sha256', nonce: true },
 * )
 * // verifies with verifySignature({ keys: { billing: { key: secret, alg: 'hmac-sha256' } } })
 * await handler(event, lambdaContext())
 * ```
 */
export function signedTestEvent<SignOptions extends object>(
  init: SignedTestEventInit,
  options: SignedTestEventOptions<SignOptions>,
): APIGatewayProxyEventV2 {
  const { sign, ...signOptions } = options
  if (typeof sign !== 'function') {
    throw new TypeError(
      'signedTestEvent: options.sign must be a signer such as signRequest from @lift/request-signing',
    )
  }
  const method = (init.method ?? (init.body === undefined ? 'GET' : 'POST')).toUpperCase()
  const url = new URL(init.url ?? 'https://api.example.com/orders')
  const headers: Record<string, string> = { host: url.host }
  for (const [name, value] of Object.entries(init.headers ?? {})) headers[name.toLowerCase()] = value
  if (init.body !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json'
  const request: SignableTestRequest = {
    method,
    url,
    headers,
    ...(init.body === undefined ? {} : { body: init.body }),
  }
  const signed = sign(request, signOptions as SignOptions)
  for (const [name, value] of Object.entries(signed))
    if (typeof value === 'string') headers[name.toLowerCase()] = value
  return apiGatewayV2Event({
    method,
    path: pathAfterStage(url, init.stage),
    query: queryOf(url),
    headers: { 'x-forwarded-proto': url.protocol.slice(0, -1), ...headers },
    ...(init.body === undefined ? {} : { body: init.body }),
    ...pickEventFields(init),
  })
}

// The URL is the one the client called: on the execute-api domain its first segment is a named stage, which
// the event builder puts back in front of the path.
function pathAfterStage(url: URL, stage: string | undefined): string {
  const prefix = stagePrefix(stage ?? '$default', url.host)
  if (prefix === '') return url.pathname
  if (url.pathname === prefix) return '/'
  if (url.pathname.startsWith(`${prefix}/`)) return url.pathname.slice(prefix.length)
  throw new TypeError(
    `signedTestEvent: on the execute-api domain the stage "${stage}" is the URL's first path segment (got ${url.pathname})`,
  )
}

function queryOf(url: URL): Record<string, string[]> {
  // No prototype: a parameter named __proto__ or constructor is an ordinary name here.
  const query: Record<string, string[]> = Object.create(null)
  for (const [name, value] of url.searchParams) {
    const values = query[name]
    if (values === undefined) query[name] = [value]
    else values.push(value)
  }
  return query
}

function pickEventFields(init: SignedTestEventInit): HttpEventInit {
  const { requestId, routeKey, stage, pathParameters, sourceIp, timeEpoch } = init
  const fields: HttpEventInit = { requestId, routeKey, stage, pathParameters, sourceIp, timeEpoch }
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))
}
