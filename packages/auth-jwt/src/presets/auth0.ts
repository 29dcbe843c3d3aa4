import type { IssuerOptions } from '../options'
import { type PresetOverrides, presetOptions, requireHost, requireNames, withOverrides } from './preset'

/**
 * Options of auth0(): the provider settings, plus any PresetOverrides.
 *
 * @example
 * ```ts
 * import { type Auth0Options, auth0 } from '@lift/auth-jwt'
 *
 * const options: Auth0Options = { domain: 'example.eu.auth0.com', audience: 'https://api.example.com' }
 * auth0(options)
 * ```
 */
export interface Auth0Options extends PresetOverrides {
  /** The tenant's domain (`example.eu.auth0.com`) or custom domain, without `https://`. */
  readonly domain: string
  /** The API identifier(s) (Auth0 "audience"); the token's `aud` (string or array) must contain one. */
  readonly audience: string | readonly string[]
  /** Only tokens issued to these applications: their `client_id`, else `azp`. */
  readonly clientId?: string | readonly string[]
}

const NAMES = { domain: true, audience: true, clientId: true } as const

/**
 * An Auth0 tenant as an issuer: `iss` `https://<domain>/` (with the trailing slash), JWKS
 * `https://<domain>/.well-known/jwks.json`, RS256, `aud` (often an array with the userinfo URL).
 * Scopes from `permissions` (the API's RBAC permissions, which are its scopes), or `scope` where a token
 * has no `permissions`; roles need a custom claim (`roles: { claim: 'https://example.com/roles' }`).
 *
 * @example
 * ```ts
 * import { auth0, jwtAuth } from '@lift/auth-jwt'
 *
 * const auth = jwtAuth({
 *   issuers: [auth0({ domain: 'example.eu.auth0.com', audience: 'https://api.example.com' })],
 * })
 * ```
 */
export function auth0(options: Auth0Options): IssuerOptions {
  const { domain, audience, clientId } = presetOptions('auth0', options, NAMES)
  requireHost('auth0', 'domain', domain)
  requireNames('auth0', 'audience', audience)
  if (clientId !== undefined) requireNames('auth0', 'clientId', clientId)
  const host = domain.toLowerCase()
  return withOverrides(
    {
      issuer: `https://${host}/`,
      algorithms: ['RS256'],
      jwksUri: `https://${host}/.well-known/jwks.json`,
      audience,
      ...(clientId === undefined ? {} : { clientId }),
      scopes: { claim: ['permissions', 'scope'] },
    },
    options,
  )
}
