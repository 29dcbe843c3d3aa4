import { randomBytes } from 'node:crypto'
import type { HmacAlgorithm, RotateOptions, SymmetricTestIssuer, TestIssuerOptions } from './test-issuer'
import { tokenSigner } from './token-signer'

type Jose = typeof import('jose')

/** Secret length per algorithm: as long as the hash output (RFC 7518 §3.2 minimum). */
export const HMAC_SECRET_BYTES: Readonly<Record<HmacAlgorithm, number>> = Object.freeze({
  HS256: 32,
  HS384: 48,
  HS512: 64,
})

/** An HS* issuer: a shared secret, no JWKS server. The default kid is the secret's JWK thumbprint. */
export async function createHmacIssuer(
  jose: Jose,
  alg: HmacAlgorithm,
  options: TestIssuerOptions,
): Promise<SymmetricTestIssuer> {
  const given = options.secret
  let secret = new Uint8Array(
    typeof given === 'string' ? Buffer.from(given, 'utf8') : (given ?? randomBytes(HMAC_SECRET_BYTES[alg])),
  )
  const thumbprint = () => jose.calculateJwkThumbprint({ kty: 'oct', k: jose.base64url.encode(secret) })
  let kid = options.kid ?? (await thumbprint())
  const issuer = options.issuer ?? 'https://issuer.lift.test'

  return {
    issuer,
    alg,
    get kid() {
      return kid
    },
    get secret() {
      return secret
    },
    sign: tokenSigner(jose, options, { alg, issuer, key: () => secret, kid: () => kid }),
    async rotate(rotateOptions: RotateOptions = {}) {
      secret = new Uint8Array(randomBytes(HMAC_SECRET_BYTES[alg]))
      kid = rotateOptions.kid ?? (await thumbprint())
      return kid
    },
    close: () => Promise.resolve(),
  }
}
