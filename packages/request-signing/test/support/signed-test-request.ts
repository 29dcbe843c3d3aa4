import { apiGatewayV2Event } from '@lift/testing'
import { type SignRequestOptions, signRequest } from '../../src/index'

export interface SignedTestRequestInit {
  method?: string
  /** Full URL; its host becomes the Host header. Default https://api.example.com/orders. */
  url?: string
  headers?: Record<string, string>
  body?: string
}

/**
 * An API Gateway HTTP API (payload 2.0) event for a request signed with signRequest. Candidate for
 * @lift/testing (`signedTestEvent`), once that package may depend on @lift/request-signing.
 */
export function signedTestRequest(init: SignedTestRequestInit, options: SignRequestOptions) {
  const method = init.method ?? (init.body === undefined ? 'GET' : 'POST')
  const url = new URL(init.url ?? 'https://api.example.com/orders')
  const headers: Record<string, string> = { host: url.host, ...(init.headers ?? {}) }
  if (init.body !== undefined && headers['content-type'] === undefined)
    headers['content-type'] = 'application/json'
  const signed = signRequest(
    { method, url, headers, ...(init.body === undefined ? {} : { body: init.body }) },
    options,
  )
  const query: Record<string, string | string[]> = {}
  for (const [name, value] of url.searchParams) {
    const existing = query[name]
    query[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value]
  }
  const allHeaders: Record<string, string> = { ...headers }
  for (const [name, value] of Object.entries(signed)) allHeaders[name.toLowerCase()] = value
  return apiGatewayV2Event({
    method,
    path: url.pathname,
    query,
    headers: { 'x-forwarded-proto': url.protocol.slice(0, -1), ...allHeaders },
    ...(init.body === undefined ? {} : { body: init.body }),
  })
}
