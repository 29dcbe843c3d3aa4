import { BlockList, isIP } from 'node:net'
import { type HttpRequestView, timingSafeEqual } from '@lift/security-core'
import type { DetailsDecision } from './health-options'

/**
 * Options of `detailsWhenHeader()`: the header and the secret (or a function that reads it) it must equal.
 * @example
 * ```ts
 * import { detailsWhenHeader } from '@lift/health'
 * import { createSecretsProvider } from '@lift/security-core'
 *
 * const secrets = createSecretsProvider()
 * detailsWhenHeader({ header: 'x-health-secret', secret: () => secrets.get('prod/health-secret') as Promise<string> })
 * ```
 */
export interface DetailsWhenHeaderOptions {
  /** The request header that carries the secret, e.g. 'x-health-secret'. */
  header: string
  /** At least 16 characters; or a function that returns it (e.g. from a SecretsProvider, which caches). */
  secret: string | (() => string | Promise<string>)
}

const MIN_SECRET_LENGTH = 16

/** The reason of the denial a presented but wrong secret is recorded with. */
export const INVALID_HEALTH_TOKEN = 'invalid-health-token'

/**
 * Details for requests whose `header` equals the secret, compared in constant time (lengths included).
 * A missing header, another value, or a secret that cannot be read: no details. Another value is also a
 * denial (`decision.deny('invalid-health-token')`): healthCheck() records it as a deny, so that guessing
 * the secret leaves a trace and counts in the denial metric.
 * @example
 * ```ts
 * import { detailsWhenHeader, healthCheck, memoryCheck } from '@lift/health'
 *
 * healthCheck({ checks: [memoryCheck()], details: detailsWhenHeader({ header: 'x-health-secret', secret: process.env.HEALTH_SECRET! }) })
 * ```
 */
export function detailsWhenHeader(
  options: DetailsWhenHeaderOptions,
): (view: HttpRequestView, decision?: DetailsDecision) => Promise<boolean> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('detailsWhenHeader: options must be an object')
  const { header, secret } = options
  if (typeof header !== 'string' || !/^[!#$%&'*+.^_`|~0-9a-z-]+$/i.test(header))
    throw new TypeError('detailsWhenHeader: header must be a header name')
  if (typeof secret === 'string') assertSecret(secret)
  else if (typeof secret !== 'function')
    throw new TypeError('detailsWhenHeader: secret must be a string or a function returning one')
  return async (view, decision) => {
    const presented = view.header(header)
    if (presented === undefined || presented === '') return false
    let expected: unknown
    try {
      expected = typeof secret === 'string' ? secret : await secret()
    } catch {
      return false
    }
    // A secret that is too short (or not a string) never grants details: fail closed.
    if (typeof expected !== 'string' || expected.length < MIN_SECRET_LENGTH) return false
    if (timingSafeEqual(presented, expected)) return true
    decision?.deny(INVALID_HEALTH_TOKEN)
    return false
  }
}

/**
 * Details for requests from these addresses or CIDR ranges ('10.0.0.0/8', '2001:db8::/32', '192.0.2.7'),
 * matched against the source IP API Gateway reports (its own view of the TCP peer, not a header).
 * @example
 * ```ts
 * import { detailsFromIps, healthCheck, memoryCheck } from '@lift/health'
 *
 * healthCheck({ checks: [memoryCheck()], details: detailsFromIps(['10.0.0.0/8', '2001:db8::/32']) })
 * ```
 */
export function detailsFromIps(ranges: readonly string[]): (view: HttpRequestView) => boolean {
  if (!Array.isArray(ranges) || ranges.length === 0)
    throw new TypeError('detailsFromIps: give a non-empty array of addresses or CIDR ranges')
  const allowed = new BlockList()
  for (const range of ranges) addRange(allowed, range)
  return (view) => {
    const ip = view.sourceIp
    if (ip === undefined) return false
    const family = isIP(ip)
    if (family === 0) return false
    return allowed.check(ip, family === 4 ? 'ipv4' : 'ipv6')
  }
}

function addRange(list: BlockList, range: unknown): void {
  const invalid = () => new TypeError(`detailsFromIps: "${String(range)}" is not an address or CIDR range`)
  if (typeof range !== 'string') throw invalid()
  const [address = '', prefixText, extra] = range.split('/')
  const family = isIP(address)
  if (family === 0 || extra !== undefined) throw invalid()
  const type = family === 4 ? 'ipv4' : 'ipv6'
  if (prefixText === undefined) {
    list.addAddress(address, type)
    return
  }
  const prefix = Number(prefixText)
  if (!/^\d{1,3}$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) throw invalid()
  list.addSubnet(address, prefix, type)
}

function assertSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new TypeError(`detailsWhenHeader: secret must be at least ${MIN_SECRET_LENGTH} characters`)
}
