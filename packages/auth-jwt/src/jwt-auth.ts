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
import type { CachedVerdict } from './token-cache'
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

  // Synchronous when the token is cached or the issuer's keys are local: no promise on those paths.
  const before = (request: Request): void | Promise<void> => {
    const view = httpRequestView(request.event)
    const nowMs = now()
    const token = readToken(view)
    let verdict: CachedVerdict | Promise<CachedVerdict> | undefined
    let reason = 'token-cached'
    try {
      if (token === undefined) {
        if (!config.credentialsOptional) throw new TokenRejection('token-missing')
        publishAuthn(view, 'allow', 'anonymous', nowMs)
        return
      }
      verdict = cache?.get(token, nowMs)
      if (verdict === undefined) {
        reason = 'token-verified'
        verdict = verifyToken(config, token, nowMs)
      }
    } catch (error) {
      throw refusal(config, error, view, nowMs, token === undefined)
    }
    if (!(verdict instanceof Promise)) return admit(request, view, verdict.principal, reason, nowMs)
    return verdict.then(
      (verified) => admit(request, view, verified.principal, reason, nowMs),
      (error: unknown) => {
        throw refusal(config, error, view, nowMs, false)
      },
    )
  }

  const admit = (
    request: Request,
    view: HttpRequestView,
    principal: Principal,
    reason: string,
    nowMs: number,
  ): void => {
    if (config.requestTenant !== undefined) {
      try {
        checkRequestTenant(config, view, principal)
      } catch (error) {
        throw refusal(config, error, view, nowMs, false)
      }
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
