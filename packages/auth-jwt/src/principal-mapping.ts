import { createPrincipal, type Principal } from '@lift/security-core'
import type { JsonObject } from './decode-token'
import type { RolesOptions, ScopesOptions, TenantOptions } from './options'
import { reject } from './rejection'

export interface PrincipalMappingOptions {
  readonly roles: RolesOptions
  readonly scopes: ScopesOptions
  readonly tenant: TenantOptions
}

export type PrincipalMapper = (claims: JsonObject, issuerTenantId: string | undefined) => Principal

/**
 * Builds the Principal from verified claims: `id` from `sub`, roles from the configured claim(s) or
 * mapping, scopes from `scope` (space separated) or `scp` (array), claims kept frozen. The tenant is the
 * issuer's `tenantId` when it has one (a token claiming another tenant is refused), else the tenant claim.
 */
export function principalMapper(options: PrincipalMappingOptions): PrincipalMapper {
  const roleClaims = options.roles.claim === undefined ? ['roles'] : [options.roles.claim].flat()
  const mapRoles = options.roles.map
  const scopeClaims = options.scopes.claim === undefined ? ['scope', 'scp'] : [options.scopes.claim]
  const tenantClaim = options.tenant.claim
  const tenantRequired = options.tenant.required === true

  return (claims, issuerTenantId) => {
    const claimedTenant = tenantClaim === undefined ? undefined : claims[tenantClaim]
    if (issuerTenantId !== undefined && claimedTenant !== undefined && claimedTenant !== issuerTenantId) {
      reject('tenant-claim-mismatch')
    }
    const tenantId =
      issuerTenantId ?? (typeof claimedTenant === 'string' && claimedTenant ? claimedTenant : undefined)
    if (tenantId === undefined && tenantRequired) reject('tenant-missing')
    const roles: string[] = []
    if (mapRoles === undefined) {
      for (const claim of roleClaims) collectStrings(claims[claim], roles)
    } else {
      const mapped = mapRoles(claims)
      if (Array.isArray(mapped)) collectStrings(mapped, roles)
    }
    const scopes: string[] = []
    for (const claim of scopeClaims) {
      if (claims[claim] === undefined) continue
      collectStrings(claims[claim], scopes)
      break
    }
    // Built by assignment, not spread: a conditional spread makes a one-off object on every call.
    const init: { -readonly [K in keyof Principal]: Principal[K] } = {
      id: claims.sub as string,
      roles,
      scopes,
      authMethod: 'jwt',
      claims,
      expiresAt: claims.exp as number,
    }
    if (tenantId !== undefined) init.tenantId = tenantId
    return createPrincipal(init)
  }
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
