import type { HealthCheckDefinition } from '../check-definition'
import { assertOptionsObject, type BuiltInCheckOptions, commonSettings, errorName } from './check-options'

/**
 * Options of `httpCheck()`: the URL, the accepted statuses, the method and request headers.
 * @example
 * ```ts
 * import { httpCheck } from '@lift/health'
 *
 * httpCheck({ url: 'https://api.partner.example/status', expectStatus: [200, 204], method: 'HEAD' })
 * ```
 */
export interface HttpCheckOptions extends BuiltInCheckOptions {
  /** http(s) URL of the dependency's health or any cheap endpoint. */
  url: string | URL
  /** Accepted status codes. Default 200. */
  expectStatus?: number | readonly number[]
  /** Default 'GET'. */
  method?: 'GET' | 'HEAD'
  /** Sent with the request (e.g. an API key); never reported. */
  headers?: Readonly<Record<string, string>>
}

/**
 * One request with the global fetch, aborted at the check's deadline; redirects are not followed (a 3xx
 * is a status like any other). Key `<hostname>:responseTime` unless `name` is given. The output names the
 * status or the network error code, never the URL's credentials, query, or the response body.
 * @example
 * ```ts
 * import { healthCheck, httpCheck } from '@lift/health'
 *
 * healthCheck({ checks: [httpCheck({ url: 'https://status.example.com/', critical: false })] })
 * ```
 */
export function httpCheck(options: HttpCheckOptions): HealthCheckDefinition {
  assertOptionsObject(options, 'httpCheck')
  const url = parseUrl(options.url)
  const expected = expectedStatuses(options.expectStatus ?? 200)
  const method = options.method ?? 'GET'
  if (method !== 'GET' && method !== 'HEAD') throw new TypeError(`httpCheck: method must be 'GET' or 'HEAD'`)
  if (options.headers !== undefined && (typeof options.headers !== 'object' || options.headers === null))
    throw new TypeError('httpCheck: headers must be an object')
  const headers = { ...options.headers }
  const target = url.href
  return {
    name: options.name ?? `${url.hostname}:responseTime`,
    componentType: 'component',
    componentId: `${url.origin}${url.pathname}`,
    ...commonSettings(options),
    check: async ({ signal }) => {
      let response: Response
      try {
        response = await fetch(target, { method, headers, signal, redirect: 'manual' })
      } catch (error) {
        return { status: 'fail', output: `request failed (${networkErrorCode(error)})` }
      }
      // Release the connection without reading a body nobody needs.
      await response.body?.cancel().catch(() => undefined)
      if (expected.has(response.status)) return { status: 'pass' }
      return { status: 'fail', output: `unexpected status ${response.status}` }
    },
  }
}

function parseUrl(value: unknown): URL {
  let url: URL
  try {
    url = new URL(String(value))
  } catch {
    throw new TypeError('httpCheck: url must be an absolute http(s) URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError('httpCheck: url must be an absolute http(s) URL')
  // fetch refuses such URLs, and a report would risk showing them: credentials belong in `headers`.
  if (url.username !== '' || url.password !== '')
    throw new TypeError('httpCheck: url must not contain credentials; send them in headers')
  return url
}

function expectedStatuses(value: number | readonly number[]): ReadonlySet<number> {
  const list = typeof value === 'number' ? [value] : value
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((status) => Number.isInteger(status) && status >= 100 && status <= 599)
  )
    throw new TypeError('httpCheck: expectStatus must be an HTTP status code or a non-empty array of them')
  return new Set(list)
}

/** undici's TypeError('fetch failed') carries the socket's error as `cause` (ECONNREFUSED, UND_ERR_SOCKET…). */
function networkErrorCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause
  const code = cause?.code
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : errorName(cause ?? error)
}
