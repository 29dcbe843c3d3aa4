import { LiftHttpError } from './errors'
import { createObjectSlot } from './object-slot'

/**
 * How a principal was authenticated: `jwt` (auth-jwt), `signature` (request-signing), or your own method.
 */
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

// Principals made here, so setPrincipal need not copy them again.
const createdPrincipals = createObjectSlot<true>()

/**
 * Returns a deeply frozen copy of `init`: changing the input, its arrays or its claims afterwards does not
 * change the principal. Claims must be JSON-like (plain objects, arrays, primitives).
 * @example
 * ```ts
 * import { createPrincipal } from '@lift/security-core'
 *
 * const principal = createPrincipal({
 *   id: 'user-1',
 *   tenantId: 'acme',
 *   roles: ['reader'],
 *   scopes: [],
 *   authMethod: 'jwt',
 *   claims: { sub: 'user-1' },
 * })
 * ```
 */
export function createPrincipal(init: Principal): Principal {
  assertPrincipalInit(init)
  // Assigned one by one rather than spread, so every principal gets one of a few cached hidden classes.
  const principal: { -readonly [K in keyof Principal]: Principal[K] } = { id: init.id } as Principal
  if (init.tenantId !== undefined) principal.tenantId = init.tenantId
  principal.roles = Object.freeze([...init.roles])
  principal.scopes = Object.freeze([...init.scopes])
  principal.authMethod = init.authMethod
  principal.claims = frozenClaims(init.claims)
  if (init.expiresAt !== undefined) principal.expiresAt = init.expiresAt
  createdPrincipals.set(principal, true)
  Object.freeze(principal)
  return principal
}

/**
 * Puts the principal on `request.context.principal` (as a frozen copy unless createPrincipal made it).
 * @example
 * ```ts
 * import { setPrincipal } from '@lift/security-core'
 * import type { MiddlewareObj } from '@middy/core'
 *
 * const apiKeyAuth = (): MiddlewareObj => ({
 *   before: (request) => {
 *     setPrincipal(request, { id: 'service-a', roles: ['service'], scopes: [], authMethod: 'api-key', claims: {} })
 *   },
 * })
 * ```
 */
export function setPrincipal(request: RequestWithContext, principal: Principal): void {
  const frozen = createdPrincipals.get(principal) === true ? principal : createPrincipal(principal)
  ;(request.context as LiftContext).principal = frozen
}

/**
 * The principal an authentication middleware put on `request.context.principal`, or undefined.
 * @example
 * ```ts
 * import { getPrincipal } from '@lift/security-core'
 * import type { MiddlewareObj } from '@middy/core'
 *
 * const logAdmins = (): MiddlewareObj => ({
 *   before: (request) => {
 *     const principal = getPrincipal(request)
 *     if (principal?.roles.includes('admin')) console.log('admin request')
 *   },
 * })
 * ```
 */
export function getPrincipal(request: RequestWithContext): Principal | undefined {
  const principal = (request?.context as LiftContext | undefined)?.principal
  return typeof principal === 'object' && principal !== null ? principal : undefined
}

/**
 * The principal, or a 401 problem with `WWW-Authenticate: Bearer` when the request is not authenticated.
 * @example
 * ```ts
 * import { requirePrincipal } from '@lift/security-core'
 * import middy from '@middy/core'
 * import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda'
 *
 * const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>().handler(async (_event, context) => {
 *   const principal = requirePrincipal({ context })
 *   return { statusCode: 200, body: principal.id }
 * })
 * ```
 */
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

/** Claims nested deeper than this are refused (and a circular structure always is). */
export const MAX_CLAIM_DEPTH = 1000

/** Thrown by the fast copy when the claims hold something it refuses; the slow walk then says what. */
class InvalidClaims extends Error {}

/**
 * A frozen copy of JSON-like claims. The fast path (one call per verified token) keeps no path and no
 * ancestor set: a circular structure shows up as depth beyond MAX_CLAIM_DEPTH, and only a failure walks
 * the claims again to name the problem.
 */
function frozenClaims(claims: Record<string, unknown>): Readonly<Record<string, unknown>> {
  try {
    return copyFrozen(claims, 0) as Readonly<Record<string, unknown>>
  } catch (error) {
    if (!(error instanceof InvalidClaims)) throw error
    throw principalError(
      describeInvalidClaims(claims, 'claims', new Set(), 0) || 'claims must hold JSON-like values only',
    )
  }
}

function copyFrozen(value: unknown, depth: number): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
      throw new InvalidClaims()
    }
    return value
  }
  if (depth >= MAX_CLAIM_DEPTH) throw new InvalidClaims()
  let copy: unknown[] | Record<string, unknown>
  if (Array.isArray(value)) {
    copy = new Array(value.length)
    for (let index = 0; index < value.length; index++) copy[index] = copyFrozen(value[index], depth + 1)
  } else if (isPlainObject(value)) {
    copy = {}
    for (const key of Object.keys(value)) {
      const item = copyFrozen(value[key], depth + 1)
      // A JSON `"__proto__"` key is an own property; plain assignment would set the prototype instead.
      if (key === '__proto__') {
        Object.defineProperty(copy, key, {
          value: item,
          enumerable: true,
          writable: true,
          configurable: true,
        })
      } else copy[key] = item
    }
  } else {
    throw new InvalidClaims()
  }
  return Object.freeze(copy)
}

/** The message for claims copyFrozen refused, naming the path of the first offending value. */
function describeInvalidClaims(value: unknown, path: string, ancestors: Set<object>, depth: number): string {
  if (value === null || typeof value !== 'object') {
    return typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint'
      ? `${path} must hold JSON-like values only (found a ${typeof value})`
      : ''
  }
  if (ancestors.has(value)) return `${path} must not be circular`
  if (depth >= MAX_CLAIM_DEPTH) return `${path} is nested deeper than ${MAX_CLAIM_DEPTH} levels`
  if (!Array.isArray(value) && !isPlainObject(value)) {
    return `${path} must hold JSON-like values only (found a ${value.constructor?.name ?? 'object'})`
  }
  ancestors.add(value)
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [`${path}[${index}]`, item])
    : Object.keys(value).map((key) => [`${path}.${key}`, (value as Record<string, unknown>)[key]])
  for (const [itemPath, item] of entries) {
    const problem = describeInvalidClaims(item, itemPath, ancestors, depth + 1)
    if (problem !== '') return problem
  }
  ancestors.delete(value)
  return ''
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false
  const prototype = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function isStringArray(value: unknown): value is readonly string[] {
  if (!Array.isArray(value)) return false
  // Not every(): it skips the holes of a sparse array, which the copy would turn into undefined.
  for (let index = 0; index < value.length; index++) if (typeof value[index] !== 'string') return false
  return true
}

function principalError(message: string): TypeError {
  return new TypeError(`createPrincipal: ${message}`)
}
