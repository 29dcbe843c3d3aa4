import { constants, createHmac, createVerify, type KeyObject, timingSafeEqual, verify } from 'node:crypto'
import { ALGORITHM_SPECS, type JwtAlgorithm } from './algorithms'

/**
 * Verifies a JWS signature with node:crypto's synchronous verify (no WebCrypto promise per call). The caller
 * has already checked that `key` fits `alg` (keyFitsAlgorithm). Never throws: anything odd is `false`.
 * `data` is the ASCII signing input; a string goes to OpenSSL without a JavaScript Buffer in between.
 */
export function verifySignature(alg: JwtAlgorithm, key: KeyObject, data: string, signature: Buffer): boolean {
  const algorithm = ALGORITHM_SPECS[alg]
  try {
    switch (algorithm.family) {
      case 'hmac': {
        if (signature.length !== algorithm.hashBytes) return false
        const expected = createHmac(algorithm.hash!, key).update(data, 'latin1').digest()
        return timingSafeEqual(expected, signature)
      }
      // createVerify rather than the one-shot verify(): it takes the signing input as a string, so no
      // Buffer copy of it is made per token (the two cost the same in OpenSSL).
      case 'rsa':
        if (signature.length !== modulusBytes(key)) return false
        return createVerify(algorithm.hash!).update(data, 'latin1').verify(key, signature)
      case 'rsa-pss':
        if (signature.length !== modulusBytes(key)) return false
        return createVerify(algorithm.hash!)
          .update(data, 'latin1')
          .verify(
            { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: algorithm.hashBytes },
            signature,
          )
      case 'ecdsa':
        // JWS carries r || s (IEEE P1363), not DER; a wrong length is never valid.
        if (signature.length !== algorithm.signatureBytes) return false
        return createVerify(algorithm.hash!)
          .update(data, 'latin1')
          .verify({ key, dsaEncoding: 'ieee-p1363' }, signature)
      default:
        // Ed25519/Ed448 have no streaming form: the one-shot verify is the only one.
        return verify(null, Buffer.from(data, 'latin1'), key, signature)
    }
  } catch {
    return false
  }
}

const modulusBytesByKey = new WeakMap<KeyObject, number>()

/**
 * RFC 8017 §8.1.2 and §8.2.2, step 1: an RSA signature is exactly as long as the modulus. OpenSSL (and so
 * WebCrypto and jose) accepts a PSS signature with its leading zero octet stripped, which would give one
 * token a second valid spelling. asymmetricKeyDetails builds a new object per read, hence the memo.
 */
function modulusBytes(key: KeyObject): number {
  let bytes = modulusBytesByKey.get(key)
  if (bytes === undefined) {
    bytes = Math.ceil(Number(key.asymmetricKeyDetails?.modulusLength) / 8)
    modulusBytesByKey.set(key, bytes)
  }
  return bytes
}
