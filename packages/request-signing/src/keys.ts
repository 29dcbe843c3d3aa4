import type { SecretsProvider } from '@lift/security-core'
import {
  createVerifier,
  isSignatureAlgorithm,
  type KeyInput,
  type SignatureAlgorithm,
  type Verifier,
} from './algorithms'
import { assertKeyPresent } from './key-presence'
import { refetchers } from './key-refetch'

/** What a key id stands for. The entry fixes the algorithm: a request cannot choose another one. */
export interface KeyEntry {
  /** One key, or several that are all accepted (e.g. the current and previous HMAC secret). */
  key: KeyInput | readonly KeyInput[]
  alg: SignatureAlgorithm
  /** The Principal id; defaults to the key id. */
  principalId?: string
  tenantId?: string
}

/**
 * Finds the key of a `keyid` (or undefined for an unknown one), possibly asynchronously: for keys in a store.
 */
export type KeyResolver = (keyId: string) => KeyEntry | undefined | Promise<KeyEntry | undefined>
/** The keys `verifySignature()` accepts: a map from keyid to key entry, or a `KeyResolver`. */
export type KeySource = Readonly<Record<string, KeyEntry>> | KeyResolver

export interface ResolvedKey {
  entry: KeyEntry
  verifiers: readonly Verifier[]
}

/**
 * Turns the `keys` option into a lookup whose verifiers (imported KeyObjects) are built once per key entry:
 * at construction for a map, on first use for each entry object a resolver returns.
 */
export function createKeyLookup(
  keys: KeySource,
  label: string,
): (keyId: string) => Promise<ResolvedKey | undefined> {
  if (typeof keys === 'function') {
    const imported = new WeakMap<KeyEntry, ResolvedKey>()
    return async (keyId) => {
      const entry = await keys(keyId)
      if (entry === undefined || entry === null) return undefined
      let resolved = imported.get(entry)
      if (resolved === undefined) {
        resolved = importEntry(entry, `${label}: keys(${JSON.stringify(keyId)})`)
        imported.set(entry, resolved)
      }
      return resolved
    }
  }
  if (typeof keys !== 'object' || keys === null)
    throw new TypeError(
      `${label}: keys must be a map or a function (got ${keys === null ? 'null' : typeof keys})`,
    )
  const imported = new Map<string, ResolvedKey>()
  for (const [keyId, entry] of Object.entries(keys)) {
    const where = `${label}: keys[${JSON.stringify(keyId)}]`
    assertKeyPresent(entry, where, '{ key, alg }')
    imported.set(keyId, importEntry(entry, where))
  }
  if (imported.size === 0) throw new TypeError(`${label}: keys must hold at least one key`)
  return async (keyId) => imported.get(keyId)
}

function importEntry(entry: KeyEntry, label: string): ResolvedKey {
  if (typeof entry !== 'object' || entry === null) throw new TypeError(`${label} must be an object`)
  if (!isSignatureAlgorithm(entry.alg))
    throw new TypeError(`${label}: unsupported alg "${String(entry.alg)}"`)
  const list = Array.isArray(entry.key) ? (entry.key as readonly KeyInput[]) : [entry.key as KeyInput]
  if (list.length === 0) throw new TypeError(`${label}: key must not be empty`)
  list.forEach((key, index) => {
    assertKeyPresent(
      key,
      `${label}.key${Array.isArray(entry.key) ? `[${index}]` : ''}`,
      KEY_WANTED[entry.alg],
    )
  })
  try {
    return { entry, verifiers: list.map((key) => cachedVerifier(key, entry.alg)) }
  } catch (error) {
    throw new TypeError(`${label}: ${(error as Error).message}`)
  }
}

/** What `key` must hold for each algorithm, in error messages. */
const KEY_WANTED: Readonly<Record<SignatureAlgorithm, string>> = {
  'hmac-sha256': 'the shared HMAC secret (a string or bytes of at least 32 bytes)',
  ed25519: "the signer's Ed25519 public key (PEM, JWK or KeyObject)",
  'ecdsa-p256-sha256': "the signer's P-256 public key (PEM, JWK or KeyObject)",
  'rsa-pss-sha512': "the signer's RSA public key (PEM, JWK or KeyObject)",
}

// Resolvers often build a fresh entry object per call; verifiers are cached by key material as well, so a
// PEM or secret is imported once per container however it is handed over.
const verifiersByObject = new WeakMap<object, Map<SignatureAlgorithm, Verifier>>()
const verifiersByText = new Map<string, Verifier>()
const MAX_TEXT_VERIFIERS = 256

function cachedVerifier(key: KeyInput, alg: SignatureAlgorithm): Verifier {
  if (typeof key === 'string' || key instanceof Uint8Array) {
    const text = `${alg}\n${typeof key === 'string' ? `s:${key}` : `b:${Buffer.from(key).toString('base64')}`}`
    let verifier = verifiersByText.get(text)
    if (verifier === undefined) {
      verifier = createVerifier(key, alg)
      if (verifiersByText.size >= MAX_TEXT_VERIFIERS)
        verifiersByText.delete(verifiersByText.keys().next().value as string)
      verifiersByText.set(text, verifier)
    }
    return verifier
  }
  let byAlg = verifiersByObject.get(key)
  if (byAlg === undefined) {
    byAlg = new Map()
    verifiersByObject.set(key, byAlg)
  }
  let verifier = byAlg.get(alg)
  if (verifier === undefined) {
    verifier = createVerifier(key, alg)
    byAlg.set(alg, verifier)
  }
  return verifier
}

/**
 * Options of `secretsManagerHmacKey()`: the JSON field holding the key, and the principal and tenant it stands for.
 * @example
 * ```ts
 * import { secretsManagerHmacKey } from '@lift/request-signing'
 * import { createSecretsProvider } from '@lift/security-core'
 *
 * const secrets = createSecretsProvider()
 * secretsManagerHmacKey(secrets, 'prod/orders-caller', { field: 'hmacKey', principalId: 'orders-service', tenantId: 'acme' })
 * ```
 */
export interface SecretsManagerKeyOptions {
  /** JSON field holding the secret, when the secret is a JSON document. */
  field?: string
  principalId?: string
  tenantId?: string
}

/**
 * A key entry whose HMAC secret lives in AWS Secrets Manager: AWSCURRENT and, during a rotation, AWSPREVIOUS
 * are both accepted. The provider caches, so call this from a resolver on every request. A signature that
 * matches neither cached value makes the verifier re-read AWSCURRENT once (`provider.refresh`, at most once
 * per `refreshCooldownMs`) and look the key id up again if it changed: a signer may see a rotation first.
 * @example
 * ```ts
 * import { secretsManagerHmacKey, verifySignature } from '@lift/request-signing'
 * import { createSecretsProvider } from '@lift/security-core'
 *
 * const secrets = createSecretsProvider()
 * verifySignature({
 *   keys: (keyId) => (keyId === 'orders-caller' ? secretsManagerHmacKey(secrets, 'prod/orders-caller') : undefined),
 * })
 * ```
 */
export async function secretsManagerHmacKey(
  secrets: Pick<SecretsProvider, 'getRotating' | 'refresh'>,
  secretId: string,
  options: SecretsManagerKeyOptions = {},
): Promise<KeyEntry> {
  if (typeof secretId !== 'string' || secretId === '')
    throw new TypeError(
      `secretsManagerHmacKey: secretId ${secretId === '' ? 'is an empty string' : `is ${secretId === null ? 'null' : typeof secretId}`} — set it to the secret's name or ARN; an unset environment variable reads as undefined`,
    )
  const { current, previous } = await secrets.getRotating(
    secretId,
    options.field === undefined ? {} : { field: options.field },
  )
  const keys = [current, previous].filter(
    (value): value is string => typeof value === 'string' && value !== '',
  )
  if (keys.length === 0)
    throw new TypeError(`secretsManagerHmacKey: secret "${secretId}" holds no string value`)
  const entry = cachedEntry(secretId, keys, options)
  if (typeof secrets.refresh === 'function') refetchers.set(entry, () => secrets.refresh!(secretId))
  return entry
}

// One entry object per distinct secret value, so the key lookup imports each secret once.
const entries = new Map<string, KeyEntry>()
const MAX_CACHED_ENTRIES = 256

function cachedEntry(secretId: string, keys: string[], options: SecretsManagerKeyOptions): KeyEntry {
  const cacheKey = JSON.stringify([secretId, keys, options.principalId, options.tenantId])
  let entry = entries.get(cacheKey)
  if (entry === undefined) {
    entry = Object.freeze({
      key: Object.freeze(keys),
      alg: 'hmac-sha256' as const,
      ...(options.principalId === undefined ? {} : { principalId: options.principalId }),
      ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
    })
    if (entries.size >= MAX_CACHED_ENTRIES) entries.delete(entries.keys().next().value as string)
    entries.set(cacheKey, entry)
  }
  return entry
}
