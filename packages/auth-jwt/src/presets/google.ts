import type { IssuerOptions } from '../options'
import { type PresetOverrides, presetOptions, requireNames, withOverrides } from './preset'

/**
 * Options of google(): the provider settings, plus any PresetOverrides.
 *
 * @example
 * ```ts
 * import { type GoogleOptions, google } from '@lift/auth-jwt'
 *
 * const options: GoogleOptions = { clientId: '1234987819200-abc.apps.googleusercontent.com', hostedDomain: 'example.com' }
 * google(options)
 * ```
 */
export interface GoogleOptions extends PresetOverrides {
  /** Your OAuth client id(s) (`…apps.googleusercontent.com`); the ID token's `aud` must be one of them. */
  readonly clientId: string | readonly string[]
  /** Only Google Workspace accounts of these domains (the `hd` claim). */
  readonly hostedDomain?: string | readonly string[]
}

const NAMES = { clientId: true, hostedDomain: true } as const

/**
 * Google ID tokens ("Sign in with Google") as an issuer: both `iss` spellings (`https://accounts.google.com`
 * and `accounts.google.com`), JWKS `https://www.googleapis.com/oauth2/v3/certs`, RS256, `aud` equal to your
 * client id (not `azp`, which names the Android or iOS client when it differs), and `hd` when
 * `hostedDomain` is given.
 *
 * @example
 * ```ts
 * import { google, jwtAuth } from '@lift/auth-jwt'
 *
 * const auth = jwtAuth({
 *   issuers: [google({ clientId: '1234567890-abc.apps.googleusercontent.com' })],
 * })
 * ```
 */
export function google(options: GoogleOptions): IssuerOptions {
  const { clientId, hostedDomain } = presetOptions('google', options, NAMES)
  requireNames('google', 'clientId', clientId)
  if (hostedDomain !== undefined) requireNames('google', 'hostedDomain', hostedDomain)
  return withOverrides(
    {
      issuer: ['https://accounts.google.com', 'accounts.google.com'],
      algorithms: ['RS256'],
      jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
      audience: clientId,
      ...(hostedDomain === undefined ? {} : { claims: { hd: [hostedDomain].flat() } }),
    },
    options,
  )
}
