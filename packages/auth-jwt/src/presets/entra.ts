import type { IssuerOptions } from '../options'
import { type PresetOverrides, presetOptions, requireNames, withOverrides } from './preset'

/**
 * Options of entra(): the provider settings, plus any PresetOverrides.
 *
 * @example
 * ```ts
 * import { type EntraOptions, entra } from '@lift/auth-jwt'
 *
 * const options: EntraOptions = { tenantId: 'organizations', audience: '6e74172b-be56-4843-9ff4-e66a39bb12e3' }
 * entra(options)
 * ```
 */
export interface EntraOptions extends Omit<PresetOverrides, 'tenantId'> {
  /**
   * The directory (tenant) id, a GUID: every accepted token's `tid` must equal it, and it becomes the
   * principal's `tenantId`. Or, for a multi-tenant app, `'organizations'` or `'common'` (any tenant, `iss`
   * naming the token's own `tid`); `'consumers'` for personal Microsoft accounts only.
   */
  readonly tenantId: string
  /** The API's application (client) id, or its App ID URI for v1 tokens; checked against `aud`. */
  readonly audience: string | readonly string[]
  /** The access token version the API accepts (`accessTokenAcceptedVersion`). Default `'2.0'`. */
  readonly version?: '1.0' | '2.0'
}

const NAMES = { tenantId: true, audience: true, version: true } as const
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** The tenant of personal Microsoft accounts (`consumers`). */
const MSA_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad'
const LOGIN = 'https://login.microsoftonline.com'
const TENANT_PLACEHOLDER = '{tenantid}'

/**
 * A Microsoft Entra ID tenant as an issuer. v2.0 (default): `iss` `https://login.microsoftonline.com/<tid>/v2.0`,
 * JWKS `…/<tid>/discovery/v2.0/keys`; v1.0: `iss` `https://sts.windows.net/<tid>/`. RS256, `aud`, and
 * `tid` and `ver` rules (a v1 token is refused where v2 is configured, and vice versa). Scopes from `scp`
 * (delegated), roles from `roles` (app roles); the tenant id becomes the principal's tenant.
 *
 * Multi-tenant apps: `tenantId: 'organizations'` (work and school accounts of any tenant) or `'common'`
 * (those and personal accounts) give the `{tenantid}` issuer template, under which a token's `iss` must
 * name its own `tid`; the principal's tenant then comes from jwtAuth's `tenant: { claim: 'tid' }`.
 * `'consumers'` is the personal-accounts tenant.
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
  if (typeof tenantId !== 'string') throw invalidTenant()
  requireNames('entra', 'audience', audience)
  if (version !== '1.0' && version !== '2.0') throw new Error("entra: `version` must be '1.0' or '2.0'")
  const tenant = tenantId.toLowerCase()
  if (tenant === 'common' || tenant === 'organizations') {
    return withOverrides(
      {
        ...entraIssuer(TENANT_PLACEHOLDER, version, tenant),
        audience,
        // Under the template `tid` equals the tenant in `iss`; organizations excludes personal accounts.
        claims: {
          ver: version,
          ...(tenant === 'organizations' ? { tid: (tid: unknown) => tid !== MSA_TENANT } : {}),
        },
      },
      // `tenantId` here is the Entra directory, not an override of the principal's tenant.
      { ...options, tenantId: undefined },
    )
  }
  const tid = tenant === 'consumers' ? MSA_TENANT : tenant
  if (!GUID.test(tid)) throw invalidTenant()
  return withOverrides(
    { ...entraIssuer(tid, version, tid), audience, claims: { tid, ver: version }, tenantId: tid },
    { ...options, tenantId: tid },
  )
}

/** The issuer, key URL, algorithm and role and scope claims; `keys` is the tenant segment of the key URL. */
function entraIssuer(tid: string, version: '1.0' | '2.0', keys: string) {
  return {
    issuer: version === '2.0' ? `${LOGIN}/${tid}/v2.0` : `https://sts.windows.net/${tid}/`,
    algorithms: ['RS256'] as const,
    jwksUri: version === '2.0' ? `${LOGIN}/${keys}/discovery/v2.0/keys` : `${LOGIN}/${keys}/discovery/keys`,
    roles: { claim: 'roles' },
    scopes: { claim: 'scp' },
  }
}

function invalidTenant(): Error {
  return new Error(
    "entra: `tenantId` must be the directory (tenant) id, a GUID, or 'organizations', 'common' or 'consumers'",
  )
}
