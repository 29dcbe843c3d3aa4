import type { CryptoKey, JWTHeaderParameters, JWTPayload } from 'jose'
import type { TestIssuerAlgorithm, TestIssuerBase, TestIssuerOptions, TokenOptions } from './test-issuer'

type Jose = typeof import('jose')

/** What a signer reads from its issuer at signing time (the key and kid change on rotate()). */
export interface SigningState {
  readonly alg: TestIssuerAlgorithm
  readonly issuer: string
  key(): CryptoKey | Uint8Array
  kid(): string
}

/** The issuer's `sign()`: default claims and header, overridable field by field, signed by jose. */
export function tokenSigner(
  jose: Jose,
  options: TestIssuerOptions,
  state: SigningState,
): TestIssuerBase['sign'] {
  const now = options.now ?? Date.now
  const expiresInSec = options.expiresInSec ?? 300
  const audience = options.audience
  return async (claims = {}, tokenOptions: TokenOptions = {}) => {
    const iat = Math.floor(now() / 1000)
    const payload = withoutUndefined({
      iss: state.issuer,
      aud: typeof audience === 'string' || audience === undefined ? audience : [...audience],
      iat,
      exp: iat + (tokenOptions.expiresIn ?? expiresInSec),
      ...claims,
    })
    const header = withoutUndefined({ alg: state.alg, typ: 'JWT', kid: state.kid(), ...tokenOptions.header })
    return new jose.SignJWT(payload as JWTPayload)
      .setProtectedHeader(header as JWTHeaderParameters)
      .sign(tokenOptions.key ?? state.key())
  }
}

function withoutUndefined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined))
}
