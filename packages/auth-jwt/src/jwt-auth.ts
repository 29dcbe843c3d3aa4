import {
  type HttpRequestView,
  httpRequestView,
  type Principal,
  publishSecurityEvent,
  securityEvents,
  setPrincipal,
} from '@lift/security-core'
import type { MiddlewareObj, Request } from '@middy/core'
import { type Authenticated, authenticateRequest } from './authenticate'
import { type JwtAuthConfig, resolveJwtAuthConfig } from './config'
import {
  authenticationUnavailableError,
  insufficientScopeError,
  invalidTokenError,
  missingTokenError,
} from './http-errors'
import type { JwtAuthOptions } from './options'
import { TokenRejection } from './rejection'

export { jwtAuthDefaults } from './config'

/**
 * Middy middleware: reads the bearer token, verifies it against the issuer allow-list, and puts the
 * Principal on `request.context.principal`. Refusals are LiftHttpErrors (401 invalid_token, 403 when the
 * request names another tenant, 503 when keys cannot be fetched); the reason is published on `lift:security`.
 * Options are validated and static keys imported here, once.
 * @example
 * ```ts
 * import { jwtAuth } from '@lift/auth-jwt'
 * import { requirePrincipal } from '@lift/security-core'
 * import middy from '@middy/core'
 * import httpErrorHandler from '@middy/http-error-handler'
 *
 * export const main = middy()
 *   .use(httpErrorHandler())
 *   .use(
 *     jwtAuth({
 *       issuers: [
 *         {
 *           issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc',
 *           audience: '3n4b5urk1ft4fl3mg5e62d9ado',
 *           algorithms: ['RS256'],
 *           jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc/.well-known/jwks.json',
 *         },
 *       ],
 *     }),
 *   )
 *   .handler(async (_event, context) => ({ statusCode: 200, body: requirePrincipal({ context }).id }))
 * ```
 */
export function jwtAuth(options: JwtAuthOptions): MiddlewareObj {
  const config = resolveJwtAuthConfig(options)
  const { now } = config

  // Synchronous when the token is cached or the issuer's keys are local: no promise on those paths.
  const before = (request: Request): void | Promise<void> => {
    const view = httpRequestView(request.event)
    const nowMs = now()
    let outcome: Authenticated | Promise<Authenticated> | undefined
    try {
      outcome = authenticateRequest(config, request.event, view, nowMs)
    } catch (error) {
      throw refusal(config, error, view, nowMs)
    }
    if (outcome === undefined) return publishAuthn(view, 'allow', 'anonymous', nowMs)
    if (!(outcome instanceof Promise)) return admit(request, view, outcome, nowMs)
    return outcome.then(
      (authenticated) => admit(request, view, authenticated, nowMs),
      (error: unknown) => {
        throw refusal(config, error, view, nowMs)
      },
    )
  }

  const admit = (
    request: Request,
    view: HttpRequestView,
    { principal, reason }: Authenticated,
    nowMs: number,
  ): void => {
    if (config.requestTenant !== undefined) {
      try {
        checkRequestTenant(config, view, principal)
      } catch (error) {
        throw refusal(config, error, view, nowMs)
      }
    }
    setPrincipal(request, principal)
    publishAuthn(view, 'allow', reason, nowMs, principal)
  }

  return { before }
}

export function checkRequestTenant(config: JwtAuthConfig, view: HttpRequestView, principal: Principal): void {
  const requested = config.requestTenant!(view)
  if (requested !== undefined && requested !== principal.tenantId) {
    throw new TokenRejection('tenant-mismatch', 403, undefined, principal)
  }
}

function refusal(config: JwtAuthConfig, error: unknown, view: HttpRequestView, nowMs: number) {
  if (!(error instanceof TokenRejection)) {
    publishAuthn(view, 'deny', 'internal-error', nowMs)
    return error
  }
  publishAuthn(view, 'deny', error.reason, nowMs, error.principal, error.detail)
  if (error.status === 503) return authenticationUnavailableError(error.cause)
  if (error.status === 403) return insufficientScopeError(config.realm)
  return error.reason === 'token-missing' ? missingTokenError(config.realm) : invalidTokenError(config.realm)
}

export function publishAuthn(
  view: Pick<HttpRequestView, 'requestId'> | undefined,
  outcome: 'allow' | 'deny',
  reason: string,
  at: number,
  principal?: Principal,
  detail?: Readonly<Record<string, unknown>>,
): void {
  // Checked here so that nothing (not even the builder closure) is allocated when nobody listens.
  if (!securityEvents.hasSubscribers) return
  publishSecurityEvent({
    type: 'authn.jwt',
    outcome,
    reason,
    at,
    ...(view?.requestId === undefined ? {} : { requestId: view.requestId }),
    ...(principal === undefined ? {} : { principalId: principal.id }),
    ...(principal?.tenantId === undefined ? {} : { tenantId: principal.tenantId }),
    ...(detail === undefined ? {} : { detail }),
  })
}
