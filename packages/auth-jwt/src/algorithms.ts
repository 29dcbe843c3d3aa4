import type { KeyObject } from 'node:crypto'

/** The JWS algorithms Lift verifies. `none` is not one of them, and never will be. */
export const JWT_ALGORITHMS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
] as const

/** A JWS algorithm Lift verifies (HS*, RS*, PS*, ES*, EdDSA); `none` is never one of them. */
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number]

export type AlgorithmFamily = 'hmac' | 'rsa' | 'rsa-pss' | 'ecdsa' | 'eddsa'

export interface AlgorithmSpec {
  readonly family: AlgorithmFamily
  /** node:crypto digest name; null for EdDSA (the curve fixes the hash). */
  readonly hash: 'sha256' | 'sha384' | 'sha512' | null
  /** Bytes of the hash output: the HMAC tag length, the PSS salt length, the minimum HMAC key length. */
  readonly hashBytes: number
  /** ECDSA and EdDSA: the node:crypto curve name the key must be on. */
  readonly curve?: string
  /** ECDSA: length of the IEEE P1363 (r || s) signature. */
  readonly signatureBytes?: number
}

const spec = (
  family: AlgorithmFamily,
  bits: 256 | 384 | 512,
  extra: Partial<AlgorithmSpec> = {},
): AlgorithmSpec => Object.freeze({ family, hash: `sha${bits}`, hashBytes: bits / 8, ...extra })

export const ALGORITHM_SPECS: Readonly<Record<JwtAlgorithm, AlgorithmSpec>> = Object.freeze({
  HS256: spec('hmac', 256),
  HS384: spec('hmac', 384),
  HS512: spec('hmac', 512),
  RS256: spec('rsa', 256),
  RS384: spec('rsa', 384),
  RS512: spec('rsa', 512),
  PS256: spec('rsa-pss', 256),
  PS384: spec('rsa-pss', 384),
  PS512: spec('rsa-pss', 512),
  ES256: spec('ecdsa', 256, { curve: 'prime256v1', signatureBytes: 64 }),
  ES384: spec('ecdsa', 384, { curve: 'secp384r1', signatureBytes: 96 }),
  ES512: spec('ecdsa', 512, { curve: 'secp521r1', signatureBytes: 132 }),
  EdDSA: Object.freeze({ family: 'eddsa', hash: null, hashBytes: 64, curve: 'ed25519' }),
})

/** RFC 8725 §3.5 / NIST: RSA keys below 2048 bits are refused (jose does the same). */
export const MIN_RSA_MODULUS_BITS = 2048

export function isJwtAlgorithm(value: unknown): value is JwtAlgorithm {
  return typeof value === 'string' && Object.hasOwn(ALGORITHM_SPECS, value)
}

export function isSymmetricAlgorithm(alg: JwtAlgorithm): boolean {
  return ALGORITHM_SPECS[alg].family === 'hmac'
}

/**
 * Whether a key may verify a signature made with `alg`: a secret only for HS*, an RSA key of at least
 * 2048 bits for RS and PS, an EC key on the algorithm's own curve for ES, an Ed25519 key for EdDSA.
 */
export function keyFitsAlgorithm(key: KeyObject, alg: JwtAlgorithm): boolean {
  const algorithm = ALGORITHM_SPECS[alg]
  if (algorithm.family === 'hmac') return key.type === 'secret'
  if (key.type !== 'public') return false
  switch (algorithm.family) {
    case 'rsa':
    case 'rsa-pss':
      return (
        key.asymmetricKeyType === 'rsa' &&
        Number(key.asymmetricKeyDetails?.modulusLength) >= MIN_RSA_MODULUS_BITS
      )
    case 'ecdsa':
      return key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === algorithm.curve
    default:
      return key.asymmetricKeyType === algorithm.curve
  }
}
