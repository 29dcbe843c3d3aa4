import { assertKnownOptions, createPrincipal, type Principal } from '@lift/security-core'
import type { JsonObject } from './decode-token'
import { ROLES_OPTIONS, SCOPES_OPTIONS } from './option-names'
import type { RolesOptions, ScopesOptions, TenantOptions } from './options'
import { reject } from './rejection'

/** Reads a list (roles or scopes) from verified claims. */
export type ClaimListReader = (claims: JsonObject) => string[]

export interface PrincipalMappingOptions {
  readonly roles: ClaimListReader
  readonly scopes: ClaimListReader
  readonly tenant: TenantOptions
}

/** What the issuer of a token adds to the mapping: its fixed tenant and its own role and scope claims. */
export interface IssuerMapping {
  readonly tenantId?: string
  readonly roles?: ClaimListReader
  readonly scopes?: ClaimListReader
}

export type PrincipalMapper = (claims: JsonObject, issuer: IssuerMapping) => Principal

/**
 * Builds the Principal from verified claims: `id` from `sub`, roles and scopes from the issuer's readers
 * when it has them, else jwtAuth's, claims kept frozen. The tenant is the issuer's `tenantId` when it has
 * one (a token claiming another tenant is refused), else the tenant claim.
 */
export function principalMapper(options: PrincipalMappingOptions): PrincipalMapper {
  const tenantClaim = options.tenant.claim
  const tenantRequired = options.tenant.required === true

  return (claims, issuer) => {
    const issuerTenantId = issuer.tenantId
    const claimedTenant = tenantClaim === undefined ? undefined : claims[tenantClaim]
    if (issuerTenantId !== undefined && claimedTenant !== undefined && claimedTenant !== issuerTenantId) {
      reject('tenant-claim-mismatch')
    }
    const tenantId =
      issuerTenantId ?? (typeof claimedTenant === 'string' && claimedTenant ? claimedTenant : undefined)
    if (tenantId === undefined && tenantRequired) reject('tenant-missing')
    // Built by assignment, not spread: a conditional spread makes a one-off object on every call.
    const init: { -readonly [K in keyof Principal]: Principal[K] } = {
      id: claims.sub as string,
      roles: (issuer.roles ?? options.roles)(claims),
      scopes: (issuer.scopes ?? options.scopes)(claims),
      authMethod: 'jwt',
      claims,
      expiresAt: claims.exp as number,
    }
    if (tenantId !== undefined) init.tenantId = tenantId
    return createPrincipal(init)
  }
}

/**
 * Validates `roles` options (`label` names them in errors) and returns their reader: the `map` function
 * when given, else the strings of the `claim` (or claims, merged; default `roles`).
 */
export function rolesReader(roles: RolesOptions | undefined, label: string): ClaimListReader {
  const options = validObject(roles, `${label}roles`)
  if (options.map !== undefined && typeof options.map !== 'function')
    throw new Error(`jwtAuth: \`${label}roles.map\` must be a function`)
  if (options.claim !== undefined && !isNameOrNames(options.claim))
    throw new Error(`jwtAuth: \`${label}roles.claim\` must be a claim name or a list of them`)
  const map = options.map
  if (map !== undefined) {
    return (claims) => {
      const roles: string[] = []
      const mapped = map(claims)
      if (Array.isArray(mapped)) collectStrings(mapped, roles)
      return roles
    }
  }
  const claimNames = options.claim === undefined ? ['roles'] : [options.claim].flat()
  return (claims) => {
    const roles: string[] = []
    for (const claim of claimNames) collectStrings(claims[claim], roles)
    return roles
  }
}

/**
 * Validates `scopes` options and returns their reader: the strings (space-separated string or array) of
 * the first of the `claim`s the token carries; by default `scope`, else `scp`.
 */
export function scopesReader(scopes: ScopesOptions | undefined, label: string): ClaimListReader {
  const options = validObject(scopes, `${label}scopes`)
  if (options.claim !== undefined && !isNameOrNames(options.claim))
    throw new Error(`jwtAuth: \`${label}scopes.claim\` must be a claim name or a list of them`)
  const claimNames = options.claim === undefined ? ['scope', 'scp'] : [options.claim].flat()
  return (claims) => {
    const scopes: string[] = []
    for (const claim of claimNames) {
      if (claims[claim] === undefined) continue
      collectStrings(claims[claim], scopes)
      break
    }
    return scopes
  }
}

function validObject<T extends RolesOptions | ScopesOptions>(value: T | undefined, path: string): T {
  if (value === undefined) return {} as T
  if (typeof value !== 'object' || value === null) throw new Error(`jwtAuth: \`${path}\` must be an object`)
  assertKnownOptions('jwtAuth', value, path.endsWith('roles') ? ROLES_OPTIONS : SCOPES_OPTIONS, `${path}.`)
  return value
}

function isNameOrNames(value: unknown): boolean {
  const names = Array.isArray(value) ? value : [value]
  return names.length > 0 && names.every((name) => typeof name === 'string' && name !== '')
}

/**
 * Appends the distinct non-empty strings of a space-separated string or of an array (other members are
 * dropped) to `into`.
 */
function collectStrings(value: unknown, into: string[]): void {
  const items = typeof value === 'string' ? value.split(' ') : Array.isArray(value) ? value : []
  for (const item of items) {
    if (typeof item === 'string' && item !== '' && !into.includes(item)) into.push(item)
  }
}
