import type { HttpRequestView, Principal } from '@lift/security-core'
import { apiGatewayClaims, trustedPrincipal } from './api-gateway-claims'
import type { JwtAuthConfig } from './config'
import { reject } from './rejection'
import { verifyToken } from './verify-token'

/** Who the request is, and how that was established (the `reason` of the allow event). */
export interface Authenticated {
  readonly principal: Principal
  readonly reason: 'token-cached' | 'token-verified' | 'apigw-claims'
}

/**
 * The principal of a request: from API Gateway's verified claims when `trustApiGatewayClaims` is on and
 * the event carries them, else from its token. `undefined`: no token, and credentials are optional.
 * Throws (or rejects with) TokenRejection; synchronous whenever the token is cached or its keys are local.
 */
export function authenticateRequest(
  config: JwtAuthConfig,
  event: unknown,
  view: HttpRequestView,
  nowMs: number,
): Authenticated | Promise<Authenticated> | undefined {
  if (config.trustApiGatewayClaims) {
    const claims = apiGatewayClaims(event, view.source)
    if (claims !== undefined) {
      const principal = trustedPrincipal(config, claims, nowMs)
      return principal instanceof Promise
        ? principal.then((found) => ({ principal: found, reason: 'apigw-claims' }))
        : { principal, reason: 'apigw-claims' }
    }
  }
  const token = config.readToken(view)
  if (token === undefined) {
    if (!config.credentialsOptional) reject('token-missing')
    return undefined
  }
  return authenticateToken(config, token, nowMs)
}

/** The principal of a bearer token: the verified-token cache, else the full verification. */
export function authenticateToken(
  config: JwtAuthConfig,
  token: string,
  nowMs: number,
): Authenticated | Promise<Authenticated> {
  const cached = config.cache?.get(token, nowMs)
  if (cached !== undefined) return { principal: cached.principal, reason: 'token-cached' }
  const verdict = verifyToken(config, token, nowMs)
  return verdict instanceof Promise
    ? verdict.then((verified) => ({ principal: verified.principal, reason: 'token-verified' }))
    : { principal: verdict.principal, reason: 'token-verified' }
}
