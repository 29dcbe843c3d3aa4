import type { IssuerOptions } from '../options'
import { type PresetOverrides, presetOptions, requireNames, withOverrides } from './preset'

export interface EntraOptions extends Omit<PresetOverrides, 'tenantId'> {
  /**
   * The directory (tenant) id, a GUID. Every accepted token's `tid` must equal it, and it becomes the
   * principal's `tenantId`. `common`, `organizations` or `consumers` (multi-tenant apps) give the
   * `{tenantid}` issuer template instead: any tenant, whose `iss` must name the token's own `tid`.
   */
  readonly tenantId: string
  /** The API's application (client) id, or its App ID URI for v1 tokens; checked against `aud`. */
  readonly audience: string | readonly string[]
  /** The access token version the API accepts (`accessTokenAcceptedVersion`). Default `'2.0'`. */
  readonly version?: '1.0' | '2.0'
}

const NAMES = { tenantId: true, audience: true, version: true } as const
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const MULTI_TENANT = ['common', 'organizations', 'consumers']
const LOGIN = 'https://login.microsoftonline.com'

/**
 * A Microsoft Entra ID tenant as an issuer. v2.0 (default): `iss` `https://login.microsoftonline.com/<tid>/v2.0`,
 * JWKS `…/<tid>/discovery/v2.0/keys`; v1.0: `iss` `https://sts.windows.net/<tid>/`. RS256, `aud`, and
 * `tid` and `ver` rules (a v1 token is refused where v2 is configured, and vice versa). Scopes from `scp`
 * (delegated), roles from `roles` (app roles); the tenant id becomes the principal's tenant.
 *
 * @example
 * ```ts
 * import { entra, jwtAuth } from '@lift/auth-jwt'
 *
 * const auth = jwtAuth({
 *   issuers: [
 *     entra({
 *       tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
 *       audience: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
 *     }),
 *   ],
 * })
 * ```
 */
export function entra(options: EntraOptions): IssuerOptions {
  const { tenantId, audience, version = '2.0' } = presetOptions('entra', options, NAMES)
  const multiTenant = typeof tenantId === 'string' && MULTI_TENANT.includes(tenantId.toLowerCase())
  if (!multiTenant && (typeof tenantId !== 'string' || !GUID.test(tenantId))) {
    throw new Error(
      "entra: `tenantId` must be the directory (tenant) id, a GUID, or 'common', 'organizations' or 'consumers'",
    )
  }
  requireNames('entra', 'audience', audience)
  if (version !== '1.0' && version !== '2.0') throw new Error("entra: `version` must be '1.0' or '2.0'")
  if (multiTenant) return multiTenantEntra(tenantId.toLowerCase(), audience, version, options)
  const tid = tenantId.toLowerCase()
  return withOverrides(
    {
      issuer: version === '2.0' ? `${LOGIN}/${tid}/v2.0` : `https://sts.windows.net/${tid}/`,
      algorithms: ['RS256'],
      jwksUri: version === '2.0' ? `${LOGIN}/${tid}/discovery/v2.0/keys` : `${LOGIN}/${tid}/discovery/keys`,
      audience,
      claims: { tid, ver: version },
      tenantId: tid,
      roles: { claim: 'roles' },
      scopes: { claim: 'scp' },
    },
    { ...options, tenantId: tid },
  )
}

/**
 * `common`, `organizations` or `consumers`: the `{tenantid}` issuer template, whose tenant must be the
 * token's own `tid` (Microsoft's documented check for multi-tenant apps), and the keys of that endpoint.
 * No fixed tenant: map the principal's tenant from `tid` with jwtAuth's `tenant: { claim: 'tid' }`.
 */
function multiTenantEntra(
  endpoint: string,
  audience: string | readonly string[],
  version: '1.0' | '2.0',
  options: EntraOptions,
): IssuerOptions {
  return withOverrides(
    {
      issuer: version === '2.0' ? `${LOGIN}/{tenantid}/v2.0` : 'https://sts.windows.net/{tenantid}/',
      algorithms: ['RS256'],
      jwksUri:
        version === '2.0'
          ? `${LOGIN}/${endpoint}/discovery/v2.0/keys`
          : `${LOGIN}/${endpoint}/discovery/keys`,
      audience,
      claims: { ver: version },
      roles: { claim: 'roles' },
      scopes: { claim: 'scp' },
    },
    { ...options, tenantId: undefined },
  )
}
