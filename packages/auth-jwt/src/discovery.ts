import { fetchJson, JwksUnavailableError, type LimitedFetchOptions } from './jwks-fetch'
import { secureUrl } from './secure-url'

/** Discovery documents larger than this are refused (real ones are 1 to 5 KiB). */
export const MAX_DISCOVERY_BYTES = 65_536

/** `<issuer>/.well-known/openid-configuration` (OpenID Connect Discovery 1.0 §4: one slash, never two). */
export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`
}

/**
 * The `jwks_uri` of an issuer, read from its OpenID discovery document on first use and then kept for the
 * life of the process. Concurrent first uses share one fetch. The document must name exactly the
 * configured issuer (OpenID Connect Discovery 1.0 §4.3), and its `jwks_uri` must be https (http on
 * loopback only); anything else is a JwksUnavailableError (a 503), and the next use tries again.
 */
export function discoveredJwksUri(issuer: string, options: LimitedFetchOptions): () => Promise<string> {
  let found: string | undefined
  let pending: Promise<string> | undefined
  const discover = async (): Promise<string> => {
    try {
      const document = await fetchJson(discoveryUrl(issuer), {
        timeoutMs: options.timeoutMs,
        maxBytes: Math.min(options.maxBytes, MAX_DISCOVERY_BYTES),
      })
      const { issuer: named, jwks_uri: jwksUri } = (document ?? {}) as Record<string, unknown>
      if (named !== issuer) throw new JwksUnavailableError('discovery document names another issuer')
      const url = typeof jwksUri === 'string' ? secureUrl(jwksUri) : undefined
      if (url === undefined) throw new JwksUnavailableError('discovery document has no https jwks_uri')
      found = url
      return url
    } finally {
      pending = undefined
    }
  }
  return () => {
    if (found !== undefined) return Promise.resolve(found)
    pending ??= discover()
    return pending
  }
}
