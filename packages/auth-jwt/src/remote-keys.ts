// Loaded (import()) when the first token of a JWKS or discovery issuer needs its keys, never before: jose's
// key selection, the JWKS fetch and OIDC discovery stay out of the configurations that do not use them.
import { discoveredJwksUri } from './discovery'
import { type JwksSettings, jwksKeySource } from './jwks-keys'
import type { KeySource } from './key-source'

/** Where an issuer's key set is: its JWKS URL, or the issuer whose discovery document names it. */
export type RemoteKeys = { readonly jwksUri: string } | { readonly discovery: string }

/** The key source of a JWKS or discovery issuer (`issuer` is named in its security events). */
export function remoteKeySource(
  where: RemoteKeys,
  settings: JwksSettings,
  now: () => number,
  issuer: string,
): KeySource {
  const location = 'jwksUri' in where ? where.jwksUri : discoveredJwksUri(where.discovery, settings)
  return jwksKeySource(location, settings, now, issuer)
}
