import {
  assertKnownOptions,
  type HttpRequestView,
  httpRequestView,
  type Principal,
} from '@lift/security-core'
import { type Authenticated, authenticateToken } from './authenticate'
import { resolveJwtAuthConfig } from './config'
import { checkRequestTenant, publishAuthn } from './jwt-auth'
import { JWT_AUTHORIZER_OPTIONS } from './option-names'
import type { JwtAuthOptions } from './options'
import { reject, TokenRejection } from './rejection'

/**
 * jwtAuthorizer() options: jwtAuth's, without those that make no sense in front of API Gateway.
 *
 * @example
 * ```ts
 * import { type JwtAuthorizerOptions, jwtAuthorizer } from '@lift/auth-jwt'
 *
 * const options: JwtAuthorizerOptions = {
 *   issuers: [{ issuer: 'https://idp.example.com', audience: 'api', algorithms: ['RS256'], discovery: true }],
 *   policyResource: 'method',
 * }
 * export const handler = jwtAuthorizer(options)
 * ```
 */
export interface JwtAuthorizerOptions
  extends Omit<JwtAuthOptions, 'credentialsOptional' | 'trustApiGatewayClaims' | 'realm'> {
  /**
   * The resource of the Allow policy (REST API): `'api'` (default) allows every method and path of the
   * stage (`arn:…:apiId/stage/*\/*`), so that API Gateway's authorizer cache can reuse it for the token
   * on any route; `'method'` allows only the methodArn called (use it with the authorizer cache off).
   */
  readonly policyResource?: 'api' | 'method'
}

/**
 * A context value API Gateway accepts from a Lambda authorizer.
 *
 * @example
 * ```ts
 * import type { AuthorizerContextValue } from '@lift/auth-jwt'
 *
 * const values: AuthorizerContextValue[] = ['acme', 3, true]
 * ```
 */
export type AuthorizerContextValue = string | number | boolean

/**
 * The context jwtAuthorizer() answers with (flat, as API Gateway requires). `roles` and `scopes` are JSON
 * array text; `claims` is the JSON text of the verified claims, which jwtAuth({ trustApiGatewayClaims: true })
 * reads back in the function behind the authorizer.
 *
 * @example
 * ```ts
 * import type { JwtAuthorizerContext } from '@lift/auth-jwt'
 *
 * declare const context: JwtAuthorizerContext
 * const roles: string[] = JSON.parse(context.roles)
 * ```
 */
export interface JwtAuthorizerContext {
  readonly [key: string]: AuthorizerContextValue
  readonly sub: string
  readonly iss: string
  readonly roles: string
  readonly scopes: string
  readonly claims: string
}

/**
 * REST API TOKEN or REQUEST authorizer output (an IAM policy).
 *
 * @example
 * ```ts
 * import type { RestAuthorizerResult } from '@lift/auth-jwt'
 *
 * declare const result: RestAuthorizerResult
 * const allowed = result.policyDocument.Statement[0].Effect === 'Allow'
 * ```
 */
export interface RestAuthorizerResult {
  readonly principalId: string
  readonly policyDocument: {
    readonly Version: '2012-10-17'
    readonly Statement: readonly [
      { readonly Action: 'execute-api:Invoke'; readonly Effect: 'Allow' | 'Deny'; readonly Resource: string },
    ]
  }
  readonly context?: JwtAuthorizerContext
}

/**
 * HTTP API authorizer output, payload format 2.0 with simple responses enabled.
 *
 * @example
 * ```ts
 * import type { HttpApiSimpleAuthorizerResult } from '@lift/auth-jwt'
 *
 * const denied: HttpApiSimpleAuthorizerResult = { isAuthorized: false }
 * ```
 */
export interface HttpApiSimpleAuthorizerResult {
  readonly isAuthorized: boolean
  readonly context?: JwtAuthorizerContext
}

/**
 * A Lambda authorizer handler (API Gateway calls it with the event alone; the Lambda context is unused).
 *
 * @example
 * ```ts
 * import { type JwtAuthorizerHandler, jwtAuthorizer } from '@lift/auth-jwt'
 *
 * export const handler: JwtAuthorizerHandler = jwtAuthorizer({
 *   issuers: [{ issuer: 'https://idp.example.com', audience: 'api', algorithms: ['RS256'], discovery: true }],
 * })
 * ```
 */
export type JwtAuthorizerHandler = (
  event: unknown,
) => Promise<RestAuthorizerResult | HttpApiSimpleAuthorizerResult>

/** Thrown for a missing or invalid token at a REST API: API Gateway answers 401 for exactly this message. */
export const UNAUTHORIZED = 'Unauthorized'

/**
 * A Lambda authorizer verifying the bearer token exactly as jwtAuth() does (same options, same issuer
 * allow-list, cache and resolver), for:
 * - REST API TOKEN authorizers (`event.authorizationToken`) and REQUEST authorizers (headers, query,
 *   cookies; the `token` option picks where): an Allow policy for the stage (`policyResource`) with the
 *   principal in `context`; a missing or invalid token throws `Error('Unauthorized')`, which API Gateway
 *   documents as its 401; a valid token for another tenant (`tenant.fromRequest`) gets a Deny policy (403);
 * - HTTP API authorizers, payload format 2.0 with simple responses: `{ isAuthorized, context }`
 *   (`isAuthorized: false` is API Gateway's 403).
 * When keys cannot be fetched or the issuer resolver fails, it throws another Error: API Gateway answers
 * 500 (AuthorizerFailure) and nobody gets in. Every decision is published on `lift:security` as jwtAuth does.
 *
 * @example
 * ```ts
 * import { jwtAuthorizer } from '@lift/auth-jwt'
 *
 * export const handler = jwtAuthorizer({
 *   issuers: [
 *     {
 *       issuer: 'https://auth.example.com/',
 *       audience: 'https://api.example.com',
 *       algorithms: ['RS256'],
 *       jwksUri: 'https://auth.example.com/.well-known/jwks.json',
 *     },
 *   ],
 * })
 * ```
 */
export function jwtAuthorizer(options: JwtAuthorizerOptions): JwtAuthorizerHandler {
  if (typeof options !== 'object' || options === null)
    throw new Error('jwtAuthorizer: options are required ({ issuers: [...] })')
  assertKnownOptions('jwtAuthorizer', options, JWT_AUTHORIZER_OPTIONS)
  const { policyResource = 'api', ...jwtOptions } = options
  if (policyResource !== 'api' && policyResource !== 'method')
    throw new Error("jwtAuthorizer: `policyResource` must be 'api' or 'method'")
  const config = resolveJwtAuthConfig(jwtOptions)

  return async (event) => {
    const nowMs = config.now()
    const request = authorizerRequest(event)
    let view: HttpRequestView | undefined
    try {
      let token: string | undefined
      if (request.kind === 'token') token = bearerToken(request.token)
      else {
        view = httpRequestView(event)
        token = config.readToken(view)
      }
      if (token === undefined || token === '') reject('token-missing')
      const { principal, reason }: Authenticated = await authenticateToken(config, token, nowMs)
      if (view !== undefined && config.requestTenant !== undefined)
        checkRequestTenant(config, view, principal)
      publishAuthn(view, 'allow', reason, nowMs, principal)
      const context = authorizerContext(principal)
      if (request.kind === 'http') return { isAuthorized: true, context }
      return restPolicy(
        principal.id,
        'Allow',
        policyResource === 'api' ? stageWildcard(request.arn) : request.arn,
        context,
      )
    } catch (error) {
      if (!(error instanceof TokenRejection)) {
        publishAuthn(view, 'deny', 'internal-error', nowMs)
        throw error
      }
      publishAuthn(view, 'deny', error.reason, nowMs, error.principal, error.detail)
      if (error.status === 503) throw new Error('Authentication is unavailable')
      if (request.kind === 'http') return { isAuthorized: false }
      if (error.status === 403) return restPolicy(error.principal!.id, 'Deny', request.arn)
      throw new Error(UNAUTHORIZED)
    }
  }
}

type AuthorizerRequest =
  | { readonly kind: 'token'; readonly arn: string; readonly token: unknown }
  | { readonly kind: 'request'; readonly arn: string }
  | { readonly kind: 'http' }

/** Which authorizer event this is; anything else is a deployment mistake, thrown at once (API Gateway: 500). */
function authorizerRequest(event: unknown): AuthorizerRequest {
  const fields = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>
  if (fields.version === '2.0' && typeof fields.routeArn === 'string') return { kind: 'http' }
  if (typeof fields.methodArn === 'string') {
    if (fields.type === 'TOKEN')
      return { kind: 'token', arn: fields.methodArn, token: fields.authorizationToken }
    if (fields.type === 'REQUEST') return { kind: 'request', arn: fields.methodArn }
  }
  throw new TypeError(
    'jwtAuthorizer: expected an API Gateway authorizer event (REST TOKEN or REQUEST, or HTTP API payload 2.0)',
  )
}

/** `Bearer <token>` (the scheme case-insensitive), or the bare token API Gateway was configured to pass. */
function bearerToken(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const trimmed = value.trim()
  const match = /^bearer(?: +(.*))?$/i.exec(trimmed)
  return match === null ? trimmed : (match[1] ?? '')
}

/** `arn:aws:execute-api:region:account:apiId/stage/METHOD/path` → `…:apiId/stage/*\/*`. */
function stageWildcard(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/')
  return `${apiArn}/${stage}/*/*`
}

function restPolicy(
  principalId: string,
  effect: 'Allow' | 'Deny',
  resource: string,
  context?: JwtAuthorizerContext,
): RestAuthorizerResult {
  return {
    principalId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: resource }],
    },
    ...(context === undefined ? {} : { context }),
  }
}

function authorizerContext(principal: Principal): JwtAuthorizerContext {
  return {
    sub: principal.id,
    iss: principal.claims.iss as string,
    ...(principal.tenantId === undefined ? {} : { tenantId: principal.tenantId }),
    roles: JSON.stringify(principal.roles),
    scopes: JSON.stringify(principal.scopes),
    // Every verified token has `exp` (a required claim).
    exp: principal.expiresAt as number,
    claims: JSON.stringify(principal.claims),
  }
}
