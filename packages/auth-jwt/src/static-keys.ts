import { createPublicKey, createSecretKey, KeyObject } from 'node:crypto'
import type { JWK } from 'jose'
import { ALGORITHM_SPECS, type JwtAlgorithm, keyFitsAlgorithm } from './algorithms'
import type { JsonObject } from './decode-token'
import { assertKeyPresent } from './key-presence'
import type { KeySource } from './key-source'
import type { PublicKeyInput } from './options'

interface StaticKey {
  readonly key: KeyObject
  /** A JWK's `alg`: the key verifies this algorithm only. */
  readonly alg?: string
  readonly kid?: string
}

/**
 * Imports configured public keys once (at construction). A JWK's `use` must be `sig` and its `key_ops`
 * must include `verify` when present; its `alg` restricts the key to that algorithm. Private keys are refused
 * so that a misplaced private key fails loudly instead of being used. Throws a configuration Error.
 */
export function publicKeySource(
  input: PublicKeyInput | readonly PublicKeyInput[],
  algorithms: readonly JwtAlgorithm[],
  label: string,
): KeySource {
  const inputs: readonly PublicKeyInput[] = Array.isArray(input) ? input : [input as PublicKeyInput]
  if (inputs.length === 0) throw new Error(`${label}: publicKey is an empty list`)
  inputs.forEach((one, index) => {
    assertKeyPresent(one, `${label}.publicKey${inputs === input ? `[${index}]` : ''}`, 'publicKey')
  })
  const keys = inputs.map((one, index) => {
    const key = importPublicKey(one, `${label}: publicKey[${index}]`)
    if (
      !algorithms.some((alg) => keyFitsAlgorithm(key.key, alg) && (key.alg === undefined || key.alg === alg))
    ) {
      throw new Error(
        `${label}: publicKey[${index}] (${describeKey(key.key)}) cannot verify any of ${algorithms.join(', ')}` +
          ' (RSA keys need 2048 bits or more; EC keys must be on the algorithm curve; a JWK alg must be listed)',
      )
    }
    return key
  })
  return staticSource(keys)
}

/**
 * An HMAC secret. RFC 7518 §3.2: at least as long as the largest hash among the issuer's HS algorithms. A
 * string that looks like a PEM key is refused: a public key used as an HMAC secret is the classic RS/HS
 * confusion.
 */
export function secretKeySource(
  secret: string | Uint8Array,
  algorithms: readonly JwtAlgorithm[],
  label: string,
) {
  assertKeyPresent(secret, `${label}.secret`, 'secret')
  return staticSource([{ key: importSecret(secret, algorithms, label) }])
}

export function importSecret(secret: unknown, algorithms: readonly JwtAlgorithm[], label: string): KeyObject {
  if (typeof secret === 'string' && secret.includes('-----BEGIN')) {
    throw new Error(
      `${label}: the secret looks like a PEM key; configure public keys with publicKey, not secret`,
    )
  }
  if (typeof secret !== 'string' && !(secret instanceof Uint8Array)) {
    throw new Error(`${label}: the secret must be a string or a Uint8Array`)
  }
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret)
  const minimum = Math.max(...algorithms.map((alg) => ALGORITHM_SPECS[alg].hashBytes))
  if (bytes.length < minimum) {
    throw new Error(
      `${label}: the secret has ${bytes.length} bytes; ${algorithms.join(', ')} need at least ${minimum}`,
    )
  }
  return createSecretKey(bytes)
}

function staticSource(keys: readonly StaticKey[]): KeySource {
  const byAlg = new Map<
    JwtAlgorithm,
    { readonly keys: readonly StaticKey[]; readonly objects: KeyObject[] }
  >()
  return {
    generation: 0,
    fresh: true,
    keysFor(alg: JwtAlgorithm, header: JsonObject) {
      let fitting = byAlg.get(alg)
      if (fitting === undefined) {
        const fit = keys.filter(
          (key) => keyFitsAlgorithm(key.key, alg) && (key.alg === undefined || key.alg === alg),
        )
        fitting = { keys: fit, objects: fit.map((key) => key.key) }
        byAlg.set(alg, fitting)
      }
      // A token kid only narrows the choice among keys that have one (a key without kid fits any token).
      const kid = header.kid
      if (kid === undefined || fitting.keys.every((key) => key.kid === undefined)) return fitting.objects
      return fitting.keys.filter((key) => key.kid === undefined || key.kid === kid).map((key) => key.key)
    },
  }
}

function importPublicKey(input: PublicKeyInput, label: string): StaticKey {
  if (input instanceof KeyObject) {
    if (input.type !== 'public')
      throw new Error(`${label}: expected a public KeyObject, got a ${input.type} key`)
    return { key: input }
  }
  if (typeof input === 'string') {
    if (input.includes('PRIVATE KEY'))
      throw new Error(`${label}: expected a public key PEM, got a private key`)
    return { key: parseKey(() => createPublicKey(input), label) }
  }
  if (typeof input !== 'object' || input === null)
    throw new Error(`${label}: expected a PEM string, a JWK or a KeyObject`)
  return importJwk(input, label)
}

function importJwk(jwk: JWK, label: string): StaticKey {
  if (jwk.kty === 'oct' || jwk.d !== undefined) throw new Error(`${label}: expected a public JWK`)
  if (jwk.use !== undefined && jwk.use !== 'sig')
    throw new Error(`${label}: the JWK "use" is "${jwk.use}", not "sig"`)
  if (jwk.key_ops !== undefined && !(Array.isArray(jwk.key_ops) && jwk.key_ops.includes('verify'))) {
    throw new Error(`${label}: the JWK "key_ops" does not include "verify"`)
  }
  const key = parseKey(() => createPublicKey({ key: jwk as JsonWebKeyInput, format: 'jwk' }), label)
  return {
    key,
    ...(jwk.alg === undefined ? {} : { alg: jwk.alg }),
    ...(jwk.kid === undefined ? {} : { kid: jwk.kid }),
  }
}

type JsonWebKeyInput = Parameters<typeof createPublicKey>[0] extends infer T
  ? T extends { format: 'jwk'; key: infer K }
    ? K
    : never
  : never

function parseKey(create: () => KeyObject, label: string): KeyObject {
  try {
    return create()
  } catch (error) {
    throw new Error(`${label}: not a valid public key (${(error as Error).message})`)
  }
}

function describeKey(key: KeyObject): string {
  const details = key.asymmetricKeyDetails
  if (key.asymmetricKeyType === 'ec') return `ec ${details?.namedCurve}`
  if (details?.modulusLength !== undefined) return `${key.asymmetricKeyType} ${details.modulusLength} bits`
  return String(key.asymmetricKeyType)
}
