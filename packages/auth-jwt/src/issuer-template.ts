import type { JsonObject } from './decode-token'
import type { IssuerState } from './issuers'
import { reject } from './rejection'

/** The one placeholder an issuer may hold: Entra ID's multi-tenant issuer form. */
export const TENANT_PLACEHOLDER = '{tenantid}'

/** What `{tenantid}` may stand for: one path segment of letters, digits and dashes (a GUID in practice). */
const TENANT_SEGMENT = '([0-9A-Za-z-]{1,64})'

/**
 * The matcher of an issuer template such as `https://login.microsoftonline.com/{tenantid}/v2.0`, or
 * undefined for a plain issuer. A token matching it is accepted only when its `tid` claim equals the value
 * in the `{tenantid}` position (Microsoft's documented check for multi-tenant apps). Exactly one
 * placeholder, inside an https URL path, and nothing else in braces.
 */
export function issuerTemplate(spellings: readonly string[], label: string): RegExp | undefined {
  if (!spellings.some((issuer) => issuer.includes('{') || issuer.includes('}'))) return undefined
  if (spellings.length !== 1)
    throw new Error(`${label}.issuer: a ${TENANT_PLACEHOLDER} template must be the only spelling`)
  const issuer = spellings[0]!
  const parts = issuer.split(TENANT_PLACEHOLDER)
  if (parts.length !== 2 || /[{}]/.test(parts.join(''))) {
    throw new Error(`${label}.issuer: the only placeholder an issuer may hold is one ${TENANT_PLACEHOLDER}`)
  }
  const [before, after] = parts as [string, string]
  if (!/^https:\/\/[^/]+\/(.*\/)?$/.test(before) || !(after === '' || after.startsWith('/'))) {
    throw new Error(`${label}.issuer: ${TENANT_PLACEHOLDER} must be a whole path segment of an https URL`)
  }
  return new RegExp(`^${escapeRegExp(before)}${TENANT_SEGMENT}${escapeRegExp(after)}$`)
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
}

/** For an issuer template (Entra multi-tenant): the tenant in `iss` must be the token's own `tid`. */
export function checkIssuerTemplate(issuer: IssuerState, claims: JsonObject): void {
  if (issuer.template === undefined) return
  const tenant = issuer.template.exec(claims.iss as string)![1]
  if (claims.tid !== tenant) reject('issuer-tenant-mismatch')
}
