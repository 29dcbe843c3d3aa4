/**
 * An API Gateway endpoint of its own (not a custom domain): `<api>.execute-api.<region>.amazonaws.com`, for
 * private APIs `<api>-<vpce>.execute-api.<region>.amazonaws.com` or `<vpce-dns>.execute-api.<region>.vpce.amazonaws.com`,
 * `.com.cn` in the China regions, `:443` allowed.
 */
const EXECUTE_API_HOST = /^[a-z0-9-]+\.execute-api\.[a-z0-9-]+(?:\.vpce)?\.amazonaws\.com(?:\.cn)?(?::443)?$/i

/**
 * Whether `host` is an API Gateway execute-api endpoint. There a named stage is the first segment of the
 * URL the client sent (`/prod/orders`); behind a custom domain the API mapping selects the stage and adds
 * no segment. A REST API drops that segment from the event's `path`; an HTTP API keeps it in `rawPath`.
 * @example
 * ```ts
 * import { isExecuteApiHost } from '@lift/security-core'
 *
 * isExecuteApiHost('a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com') // true
 * isExecuteApiHost('api.example.com') // false
 * ```
 */
export function isExecuteApiHost(host: string | undefined): boolean {
  return host !== undefined && EXECUTE_API_HOST.test(host)
}
