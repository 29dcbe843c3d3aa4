import type { IssuerOptions } from '../options'
import { type PresetOverrides, presetOptions, requireHost, requireNames, withOverrides } from './preset'

/**
 * Options of okta(): the provider settings, plus any PresetOverrides.
 *
 * @example
 * ```ts
 * import { type OktaOptions, okta } from '@lift/auth-jwt'
 *
 * const options: OktaOptions = { domain: 'example.okta.com', audience: 'api://default', roles: { claim: 'groups' } }
 * okta(options)
 * ```
 */
export interface OktaOptions extends PresetOverrides {
  /** The Okta org domain (`example.okta.com`) or custom domain, without `https://`. */
  readonly domain: string
  /** The custom authorization server's id. Default `default`. */
  readonly authorizationServerId?: string
  /** The authorization server's audience (`api://default` for the default server); checked against `aud`. */
  readonly audience: string | readonly string[]
  /** Only tokens issued to these applications (Okta's `cid` claim). */
  readonly clientId?: string | readonly string[]
}

const NAMES = { domain: true, authorizationServerId: true, audience: true, clientId: true } as const

/**
 * An Okta custom authorization server as an issuer: `iss` `https://<domain>/oauth2/<authorizationServerId>`,
 * JWKS `<iss>/v1/keys`, RS256, `aud`, and `cid` when `clientId` is given. Scopes from `scp` (an array);
 * roles need a groups claim added on the server (`roles: { claim: 'groups' }`).
 *
 * @example
 * ```ts
 * import { jwtAuth, okta } from '@lift/auth-jwt'
 *
 * const auth = jwtAuth({
 *   issuers: [okta({ domain: 'example.okta.com', audience: 'api://default', clientId: '0oa1example' })],
 * })
 * ```
 */
export function okta(options: OktaOptions): IssuerOptions {
  const {
    domain,
    authorizationServerId = 'default',
    audience,
    clientId,
  } = presetOptions('okta', options, NAMES)
  requireHost('okta', 'domain', domain)
  if (typeof authorizationServerId !== 'string' || !/^[A-Za-z0-9]+$/.test(authorizationServerId)) {
    throw new Error('okta: `authorizationServerId` must be an authorization server id such as default')
  }
  requireNames('okta', 'audience', audience)
  if (clientId !== undefined) requireNames('okta', 'clientId', clientId)
  const issuer = `https://${domain.toLowerCase()}/oauth2/${authorizationServerId}`
  return withOverrides(
    {
      issuer,
      algorithms: ['RS256'],
      jwksUri: `${issuer}/v1/keys`,
      audience,
      ...(clientId === undefined ? {} : { claims: { cid: [clientId].flat() } }),
      scopes: { claim: 'scp' },
    },
    options,
  )
}
