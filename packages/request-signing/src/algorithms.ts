import {
  constants,
  createHmac,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  sign as cryptoSign,
  verify as cryptoVerify,
  type JsonWebKey,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto'

/** The RFC 9421 algorithms supported: `hmac-sha256`, `ed25519`, `ecdsa-p256-sha256`, `rsa-pss-sha512`. */
export const SIGNATURE_ALGORITHMS = Object.freeze([
  'hmac-sha256',
  'ed25519',
  'ecdsa-p256-sha256',
  'rsa-pss-sha512',
] as const)

/** An RFC 9421 signature algorithm Lift signs and verifies with (one of `SIGNATURE_ALGORITHMS`). */
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number]

/** A PEM string, DER/raw bytes (HMAC secrets), a JWK or a KeyObject. */
export type KeyInput = string | Uint8Array | KeyObject | JsonWebKey

export type Verifier = (data: Buffer, signature: Uint8Array) => boolean
export type Signer = (data: Buffer) => Buffer

export const MIN_HMAC_KEY_BYTES = 32

export function isSignatureAlgorithm(value: unknown): value is SignatureAlgorithm {
  return typeof value === 'string' && (SIGNATURE_ALGORITHMS as readonly string[]).includes(value)
}

/**
 * Imports `key` once for `alg` and returns the verify function. Throws a TypeError when the key does not fit
 * the algorithm (e.g. an HMAC secret offered as an Ed25519 public key, or a 1024-bit RSA key).
 */
export function createVerifier(key: KeyInput, alg: SignatureAlgorithm): Verifier {
  if (alg === 'hmac-sha256') {
    const secret = secretKey(key)
    // An HMAC-SHA256 is 32 bytes, a public fact: comparing lengths first leaks nothing; the bytes are compared
    // in constant time.
    return (data, signature) =>
      signature.byteLength === 32 &&
      timingSafeEqual(createHmac('sha256', secret).update(data).digest(), signature)
  }
  const publicKey = asymmetricKey(key, alg, 'public')
  switch (alg) {
    case 'ed25519':
      return (data, signature) => cryptoVerify(null, data, publicKey, signature)
    case 'ecdsa-p256-sha256':
      return (data, signature) =>
        cryptoVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)
    case 'rsa-pss-sha512': {
      // RFC 8017 §8.1.2 step 1: the signature is exactly as long as the modulus. OpenSSL also accepts one with
      // its leading zero octet stripped, a second spelling of the same signature.
      const modulusBytes = Math.ceil((publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8)
      // RFC 9421 §3.3.1 signs with a 64-byte salt (as signRequest does); verification reads the salt length from
      // the signature, so signers that use the maximum salt (http-message-signatures does) interoperate.
      return (data, signature) =>
        signature.byteLength === modulusBytes &&
        cryptoVerify(
          'sha512',
          data,
          {
            key: publicKey,
            padding: constants.RSA_PKCS1_PSS_PADDING,
            saltLength: constants.RSA_PSS_SALTLEN_AUTO,
          },
          signature,
        )
    }
  }
}

/** Imports a private key (or HMAC secret) once for `alg` and returns the sign function. */
export function createSigner(key: KeyInput, alg: SignatureAlgorithm): Signer {
  if (alg === 'hmac-sha256') {
    const secret = secretKey(key)
    return (data) => createHmac('sha256', secret).update(data).digest()
  }
  const privateKey = asymmetricKey(key, alg, 'private')
  switch (alg) {
    case 'ed25519':
      return (data) => cryptoSign(null, data, privateKey)
    case 'ecdsa-p256-sha256':
      return (data) => cryptoSign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' })
    case 'rsa-pss-sha512':
      return (data) =>
        cryptoSign('sha512', data, {
          key: privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: 64,
        })
  }
}

function secretKey(key: KeyInput): KeyObject {
  let secret: KeyObject
  if (isKeyObject(key)) {
    if (key.type !== 'secret') throw new TypeError('hmac-sha256 needs a secret key, got an asymmetric key')
    secret = key
  } else if (typeof key === 'string' || key instanceof Uint8Array) {
    if (Buffer.from(key).includes('-----BEGIN')) {
      throw new TypeError('hmac-sha256 needs a secret key, got a PEM key')
    }
    secret = createSecretKey(typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key))
  } else {
    throw new TypeError('hmac-sha256 needs a secret as a string, bytes or a secret KeyObject')
  }
  if (secret.symmetricKeySize === undefined || secret.symmetricKeySize < MIN_HMAC_KEY_BYTES) {
    throw new TypeError(`hmac-sha256 secrets must be at least ${MIN_HMAC_KEY_BYTES} bytes`)
  }
  return secret
}

const KEY_TYPES: Readonly<Record<Exclude<SignatureAlgorithm, 'hmac-sha256'>, readonly string[]>> = {
  ed25519: ['ed25519'],
  'ecdsa-p256-sha256': ['ec'],
  'rsa-pss-sha512': ['rsa', 'rsa-pss'],
}

function asymmetricKey(
  key: KeyInput,
  alg: Exclude<SignatureAlgorithm, 'hmac-sha256'>,
  want: 'public' | 'private',
): KeyObject {
  const keyObject = toKeyObject(key, alg, want)
  const type = keyObject.asymmetricKeyType
  if (type === undefined || !KEY_TYPES[alg].includes(type)) {
    throw new TypeError(`${alg} needs a ${KEY_TYPES[alg][0]} key, got ${type ?? keyObject.type}`)
  }
  if (alg === 'ecdsa-p256-sha256' && keyObject.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError('ecdsa-p256-sha256 needs a P-256 key')
  }
  if (alg === 'rsa-pss-sha512') assertRsaPssFits(keyObject)
  return keyObject
}

// An 'rsa-pss' key may carry restrictions (RFC 4055 RSASSA-PSS-params) that OpenSSL enforces on every use:
// one that forbids SHA-512 or the 64-byte salt of RFC 9421 §3.3.1 would fail each request instead of here.
function assertRsaPssFits(keyObject: KeyObject): void {
  const details = keyObject.asymmetricKeyDetails
  if ((details?.modulusLength ?? 0) < 2048) {
    throw new TypeError('rsa-pss-sha512 needs an RSA key of at least 2048 bits')
  }
  for (const digest of [details?.hashAlgorithm, details?.mgf1HashAlgorithm]) {
    if (digest !== undefined && digest !== 'sha512')
      throw new TypeError(`rsa-pss-sha512 needs SHA-512; this RSA-PSS key is restricted to ${digest}`)
  }
  if (keyObject.type === 'private' && (details?.saltLength ?? 0) > 64)
    throw new TypeError(
      `rsa-pss-sha512 signs with a 64-byte salt; this RSA-PSS key requires ${details?.saltLength}`,
    )
}

function toKeyObject(key: KeyInput, alg: string, want: 'public' | 'private'): KeyObject {
  if (isKeyObject(key)) {
    if (key.type === 'secret') throw new TypeError(`${alg} needs an asymmetric key, got a secret key`)
    if (want === 'private' && key.type !== 'private')
      throw new TypeError(`${alg} signing needs a private key`)
    return want === 'public' && key.type === 'private' ? createPublicKey(key) : key
  }
  try {
    if (typeof key === 'string') {
      return want === 'public' ? createPublicKey(key) : createPrivateKey(key)
    }
    if (key instanceof Uint8Array) {
      const der = Buffer.from(key)
      return want === 'public'
        ? createPublicKey({ key: der, format: 'der', type: 'spki' })
        : createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    }
    return want === 'public'
      ? createPublicKey({ key, format: 'jwk' })
      : createPrivateKey({ key, format: 'jwk' })
  } catch {
    throw new TypeError(`${alg}: the key is not a valid ${want} key (PEM, DER, JWK or KeyObject)`)
  }
}

function isKeyObject(value: unknown): value is KeyObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as KeyObject).export === 'function' &&
    typeof (value as KeyObject).type === 'string'
  )
}
