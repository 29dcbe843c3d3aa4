import {
  type HttpRequestView,
  httpRequestView,
  type Principal,
  publishSecurityEvent,
  securityEvents,
  setPrincipal,
} from '@lift/security-core'
import type { MiddlewareObj, Request } from '@middy/core'
import { type JwtAuthConfig, resolveJwtAuthConfig } from './config'
import {
  authenticationUnavailableError,
  insufficientScopeError,
  invalidTokenError,
  missingTokenError,
} from './http-errors'
import type { JwtAuthOptions } from './options'
import { TokenRejection } from './rejection'
import { verifyToken } from './verify-token'

export { jwtAuthDefaults } from './config'

/**
 * Middy middleware: reads the bearer token, verifies it against the issuer allow-list, and puts the
 * Principal on `request.context.principal`. Refusals are LiftHttpErrors (401 invalid_token, 403 when the
 * request names another tenant, 503 when keys cannot be fetched); the reason is published on `lift:security`.
 * Options are validated and static keys imported here, once.
 */
export function jwtAuth(options: JwtAuthOptions): MiddlewareObj {
  const config = resolveJwtAuthConfig(options)
  const { readToken, cache, now } = config

  const before = async (request: Request): Promise<void> => {
    const view = httpRequestView(request.event)
    const nowMs = now()
    const token = readToken(view)
    let principal: Principal
    let reason: string
    try {
      if (token === undefined) {
        if (config.credentialsOptional) {
          publishAuthn(view, 'allow', 'anonymous', nowMs)
          return
        }
        throw new TokenRejection('token-missing')
      }
      const cached = cache?.get(token, nowMs)
      if (cached) {
        principal = cached.principal
        reason = 'token-cached'
      } else {
        const verified = verifyToken(config, token, nowMs)
        principal = (verified instanceof Promise ? await verified : verified).principal
        reason = 'token-verified'
      }
      if (config.requestTenant !== undefined) checkRequestTenant(config, view, principal)
    } catch (error) {
      throw refusal(config, error, view, nowMs, token === undefined)
    }
    setPrincipal(request, principal)
    publishAuthn(view, 'allow', reason, nowMs, principal)
  }

  return { before }
}

function checkRequestTenant(config: JwtAuthConfig, view: HttpRequestView, principal: Principal): void {
  const requested = config.requestTenant!(view)
  if (requested !== undefined && requested !== principal.tenantId) {
    throw new TokenRejection('tenant-mismatch', 403, undefined, principal)
  }
}

function refusal(
  config: JwtAuthConfig,
  error: unknown,
  view: HttpRequestView,
  nowMs: number,
  missing: boolean,
) {
  if (!(error instanceof TokenRejection)) {
    publishAuthn(view, 'deny', 'internal-error', nowMs)
    return error
  }
  publishAuthn(view, 'deny', error.reason, nowMs, error.principal)
  if (error.status === 503) return authenticationUnavailableError(error.cause)
  if (error.status === 403) return insufficientScopeError(config.realm)
  return missing ? missingTokenError(config.realm) : invalidTokenError(config.realm)
}

function publishAuthn(
  view: HttpRequestView,
  outcome: 'allow' | 'deny',
  reason: string,
  at: number,
  principal?: Principal,
): void {
  // Checked here so that nothing (not even the builder closure) is allocated when nobody listens.
  if (!securityEvents.hasSubscribers) return
  publishSecurityEvent({
    type: 'authn.jwt',
    outcome,
    reason,
    at,
    ...(view.requestId === undefined ? {} : { requestId: view.requestId }),
    ...(principal === undefined ? {} : { principalId: principal.id }),
    ...(principal?.tenantId === undefined ? {} : { tenantId: principal.tenantId }),
  })
}
