import { LiftHttpError } from './errors'

export type AuthMethod = 'jwt' | 'signature' | (string & {})

/** Who made the request, as established by an authentication middleware. Always deeply frozen. */
export interface Principal {
  readonly id: string
  readonly tenantId?: string
  readonly roles: readonly string[]
  readonly scopes: readonly string[]
  readonly authMethod: AuthMethod
  readonly claims: Readonly<Record<string, unknown>>
  /** Epoch seconds. */
  readonly expiresAt?: number
}

/** What Lift adds to the Lambda context: `request.context.principal`, the handler's `context.principal`. */
export interface LiftContext {
  principal?: Principal
}

/** A Middy request, structurally. */
export interface RequestWithContext {
  context: object
}

const createdPrincipals = new WeakSet<Principal>()

/**
 * Returns a deeply frozen copy of `init`: changing the input, its arrays or its claims afterwards does not
 * change the principal. Claims must be JSON-like (plain objects, arrays, primitives).
 */
export function createPrincipal(init: Principal): Principal {
  assertPrincipalInit(init)
  const principal: Principal = {
    id: init.id,
    ...(init.tenantId === undefined ? {} : { tenantId: init.tenantId }),
    roles: Object.freeze([...init.roles]),
    scopes: Object.freeze([...init.scopes]),
    authMethod: init.authMethod,
    claims: frozenCopy(init.claims, 'claims', new Set()) as Readonly<Record<string, unknown>>,
    ...(init.expiresAt === undefined ? {} : { expiresAt: init.expiresAt }),
  }
  Object.freeze(principal)
  createdPrincipals.add(principal)
  return principal
}

/** Puts the principal on `request.context.principal` (as a frozen copy unless createPrincipal made it). */
export function setPrincipal(request: RequestWithContext, principal: Principal): void {
  const frozen = createdPrincipals.has(principal) ? principal : createPrincipal(principal)
  ;(request.context as LiftContext).principal = frozen
}

export function getPrincipal(request: RequestWithContext): Principal | undefined {
  const principal = (request?.context as LiftContext | undefined)?.principal
  return typeof principal === 'object' && principal !== null ? principal : undefined
}

/** The principal, or a 401 problem with `WWW-Authenticate: Bearer` when the request is not authenticated. */
export function requirePrincipal(request: RequestWithContext): Principal {
  const principal = getPrincipal(request)
  if (principal === undefined) {
    throw new LiftHttpError(401, {
      code: 'unauthenticated',
      detail: 'Authentication is required.',
      headers: { 'WWW-Authenticate': 'Bearer' },
    })
  }
  return principal
}

function assertPrincipalInit(init: Principal): void {
  if (typeof init !== 'object' || init === null) throw principalError('init must be an object')
  if (typeof init.id !== 'string' || init.id === '') throw principalError('id must be a non-empty string')
  if (init.tenantId !== undefined && (typeof init.tenantId !== 'string' || init.tenantId === '')) {
    throw principalError('tenantId must be a non-empty string when present')
  }
  if (!isStringArray(init.roles)) throw principalError('roles must be an array of strings')
  if (!isStringArray(init.scopes)) throw principalError('scopes must be an array of strings')
  if (typeof init.authMethod !== 'string' || init.authMethod === '') {
    throw principalError('authMethod must be a non-empty string')
  }
  if (!isPlainObject(init.claims)) throw principalError('claims must be a plain object')
  if (init.expiresAt !== undefined && !Number.isFinite(init.expiresAt)) {
    throw principalError('expiresAt must be a finite number of epoch seconds when present')
  }
}

function frozenCopy(value: unknown, path: string, ancestors: Set<object>): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      throw principalError(`${path} must hold JSON-like values only (found a ${typeof value})`)
    }
    return value
  }
  if (ancestors.has(value)) throw principalError(`${path} must not be circular`)
  ancestors.add(value)
  let copy: unknown
  if (Array.isArray(value)) {
    copy = value.map((item, index) => frozenCopy(item, `${path}[${index}]`, ancestors))
  } else if (isPlainObject(value)) {
    copy = Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, frozenCopy(item, `${path}.${key}`, ancestors)]),
    )
  } else {
    throw principalError(
      `${path} must hold JSON-like values only (found a ${value.constructor?.name ?? 'object'})`,
    )
  }
  ancestors.delete(value)
  return Object.freeze(copy)
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string')
}

function principalError(message: string): TypeError {
  return new TypeError(`createPrincipal: ${message}`)
}
