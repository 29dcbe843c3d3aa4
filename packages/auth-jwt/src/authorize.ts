import {
  assertKnownOptions,
  getPrincipal,
  type HttpRequestView,
  httpRequestView,
  type Principal,
  publishSecurityEvent,
  securityEvents,
} from '@lift/security-core'
import type { MiddlewareObj, Request } from '@middy/core'
import { insufficientScopeError, missingTokenError } from './http-errors'
import { AUTHORIZE_OPTIONS, REQUIREMENT_OPTIONS } from './option-names'

/** What a route needs from a list (roles or scopes): at least one of `anyOf`, every one of `allOf`. */
export interface Requirement {
  readonly anyOf?: readonly string[]
  readonly allOf?: readonly string[]
}

/**
 * Options of `authorize()`: the roles, scopes and tenant a route requires, and a last custom check.
 * @example
 * ```ts
 * import { authorize } from '@lift/auth-jwt'
 *
 * authorize({ roles: { anyOf: ['orders-admin'] }, scopes: { allOf: ['orders:write'] }, tenant: 'match-request' })
 * ```
 */
export interface AuthorizeOptions {
  readonly roles?: Requirement
  readonly scopes?: Requirement
  /** `'match-request'`: the request must name a tenant (see `requestTenant`) equal to the principal's. */
  readonly tenant?: 'match-request'
  /** The tenant a request names; default requestTenantId (path parameter `tenantId`, else `x-tenant-id`). */
  readonly requestTenant?: (view: HttpRequestView) => string | undefined
  /** A last, route-specific decision; only `true` allows. */
  readonly check?: (
    principal: Principal,
    view: HttpRequestView,
    request: Request,
  ) => boolean | Promise<boolean>
  /** `realm` of the WWW-Authenticate challenge. */
  readonly realm?: string
  /** Clock (epoch ms) for event timestamps. Default Date.now. */
  readonly now?: () => number
}

/**
 * The tenant a request names: its `tenantId` path parameter, else its `x-tenant-id` header.
 * @example
 * ```ts
 * import { authorize, requestTenantId } from '@lift/auth-jwt'
 *
 * authorize({ tenant: 'match-request', requestTenant: (view) => requestTenantId(view) ?? view.query.tenant })
 * ```
 */
export function requestTenantId(view: HttpRequestView): string | undefined {
  return Object.hasOwn(view.pathParameters, 'tenantId')
    ? view.pathParameters.tenantId
    : view.header('x-tenant-id')
}

/**
 * Middy middleware for per-route RBAC after jwtAuth (or any middleware that sets a Principal): 401 without
 * a principal, 403 `insufficient_scope` when roles, scopes, tenant or `check` say no. Every decision is
 * published on `lift:security` with type `authz`.
 * @example
 * ```ts
 * import { authorize, jwtAuth } from '@lift/auth-jwt'
 * import middy from '@middy/core'
 *
 * export const main = middy()
 *   .use(
 *     jwtAuth({
 *       issuers: [
 *         {
 *           issuer: 'https://auth.example.com/',
 *           audience: 'orders-api',
 *           algorithms: ['RS256'],
 *           jwksUri: 'https://auth.example.com/.well-known/jwks.json',
 *         },
 *       ],
 *     }),
 *   )
 *   .use(authorize({ roles: { anyOf: ['orders-reader'] }, tenant: 'match-request' }))
 *   .handler(async () => ({ statusCode: 200, body: '[]' }))
 * ```
 */
export function authorize(options: AuthorizeOptions = {}): MiddlewareObj {
  const rules = validate(options)
  const requestTenant = options.requestTenant ?? requestTenantId
  const now = options.now ?? Date.now

  const before = async (request: Request): Promise<void> => {
    const view = httpRequestView(request.event)
    const principal = getPrincipal(request)
    const deny = (reason: string) => {
      publishAuthz(view, 'deny', reason, now(), principal)
      return principal === undefined
        ? missingTokenError(options.realm)
        : insufficientScopeError(options.realm)
    }
    if (principal === undefined) throw deny('unauthenticated')
    if (!meets(principal.roles, rules.roles)) throw deny('role-missing')
    if (!meets(principal.scopes, rules.scopes)) throw deny('scope-missing')
    if (options.tenant === 'match-request') {
      const requested = requestTenant(view)
      if (requested === undefined || principal.tenantId === undefined) throw deny('tenant-not-named')
      if (requested !== principal.tenantId) throw deny('tenant-mismatch')
    }
    if (options.check !== undefined && (await options.check(principal, view, request)) !== true) {
      throw deny('check-failed')
    }
    publishAuthz(view, 'allow', 'authorized', now(), principal)
  }

  return { before }
}

interface Rules {
  readonly roles?: Requirement
  readonly scopes?: Requirement
}

function validate(options: AuthorizeOptions): Rules {
  if (typeof options !== 'object' || options === null) throw new Error('authorize: options must be an object')
  assertKnownOptions('authorize', options, AUTHORIZE_OPTIONS)
  if (options.tenant !== undefined && options.tenant !== 'match-request') {
    throw new Error("authorize: `tenant` accepts only 'match-request'")
  }
  for (const name of ['requestTenant', 'check', 'now'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new Error(`authorize: \`${name}\` must be a function`)
    }
  }
  if (options.realm !== undefined && (typeof options.realm !== 'string' || /["\\\r\n]/.test(options.realm))) {
    throw new Error('authorize: `realm` must be a string without quotes, backslashes or line breaks')
  }
  return Object.freeze({
    roles: requirement(options.roles, 'roles'),
    scopes: requirement(options.scopes, 'scopes'),
  })
}

function requirement(value: Requirement | undefined, label: string): Requirement | undefined {
  if (value === undefined) return undefined
  const invalid = () =>
    new Error(`authorize: \`${label}\` must be { anyOf?, allOf? } with non-empty lists of names`)
  if (typeof value !== 'object' || value === null) throw invalid()
  assertKnownOptions('authorize', value, REQUIREMENT_OPTIONS, `${label}.`)
  const lists = [value.anyOf, value.allOf].filter((list) => list !== undefined)
  const valid =
    lists.length > 0 &&
    lists.every(
      (list) =>
        Array.isArray(list) && list.length > 0 && list.every((item) => typeof item === 'string' && item),
    )
  if (!valid) throw invalid()
  return Object.freeze({ ...value })
}

function meets(held: readonly string[], needed: Requirement | undefined): boolean {
  if (needed === undefined) return true
  if (needed.allOf !== undefined && !needed.allOf.every((name) => held.includes(name))) return false
  return needed.anyOf === undefined || needed.anyOf.some((name) => held.includes(name))
}

function publishAuthz(
  view: HttpRequestView,
  outcome: 'allow' | 'deny',
  reason: string,
  at: number,
  principal: Principal | undefined,
): void {
  // Checked here so that nothing (not even the builder closure) is allocated when nobody listens.
  if (!securityEvents.hasSubscribers) return
  publishSecurityEvent({
    type: 'authz',
    outcome,
    reason,
    at,
    ...(view.requestId === undefined ? {} : { requestId: view.requestId }),
    ...(principal === undefined ? {} : { principalId: principal.id }),
    ...(principal?.tenantId === undefined ? {} : { tenantId: principal.tenantId }),
  })
}
