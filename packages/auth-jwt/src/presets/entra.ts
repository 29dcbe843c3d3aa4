import type { IssuerOptions } from '../options'
import { type PresetOverrides, presetOptions, requireNames, withOverrides } from './preset'

export interface EntraOptions extends Omit<PresetOverrides, 'tenantId'> {
  /**
   * The directory (tenant) id, a GUID. Every accepted token's `tid` must equal it, and it becomes the
   * principal's `tenantId`. Multi-tenant apps (`common`, `organizations`) need the multi-tenant issuer
   * form instead of this preset.
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
  if (typeof tenantId === 'string' && MULTI_TENANT.includes(tenantId.toLowerCase())) {
    throw new Error(
      `entra: tenantId "${tenantId}" is multi-tenant: list each tenant with entra({ tenantId: '<guid>', ... }), ` +
        'or use the multi-tenant issuer form (issuer https://login.microsoftonline.com/{tenantid}/v2.0)',
    )
  }
  if (typeof tenantId !== 'string' || !GUID.test(tenantId)) {
    throw new Error('entra: `tenantId` must be the directory (tenant) id, a GUID')
  }
  requireNames('entra', 'audience', audience)
  if (version !== '1.0' && version !== '2.0') throw new Error("entra: `version` must be '1.0' or '2.0'")
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
