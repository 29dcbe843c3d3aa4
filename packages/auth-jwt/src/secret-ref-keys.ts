import type { KeyObject } from 'node:crypto'
import { createSecretsProvider, type SecretsProvider } from '@lift/security-core'
import { type JwtAlgorithm, keyFitsAlgorithm } from './algorithms'
import type { KeySource } from './key-source'
import type { SecretRef } from './options'
import { reject } from './rejection'
import { importSecret } from './static-keys'

/**
 * HMAC secrets from Secrets Manager: AWSCURRENT first, then AWSPREVIOUS, so a token signed just before a
 * rotation still verifies. The provider caches and single-flights the fetches; each distinct secret value
 * becomes a KeyObject once. A provider failure is a 503 (fail closed), never a pass. Loaded (import())
 * with the first token of a secretRef issuer; `provider` gives the configured provider, else the default
 * one it makes from createSecretsProvider() on first use. A signature that matches neither value re-reads
 * AWSCURRENT once (`refetch`): see verify-token.
 */
export function secretRefKeySource(
  ref: SecretRef,
  algorithms: readonly JwtAlgorithm[],
  provider: (makeDefault: () => SecretsProvider) => SecretsProvider,
  label: string,
): KeySource {
  const imported = new Map<string, KeyObject>()
  let current: unknown
  let generation = 0

  const importValue = (value: unknown): KeyObject => {
    const known = typeof value === 'string' ? imported.get(value) : undefined
    if (known) return known
    let key: KeyObject
    try {
      if (typeof value !== 'string') throw new Error(`${label}: secretRef ${ref.secretId} is not a string`)
      key = importSecret(value, algorithms, `${label}: secretRef ${ref.secretId}`)
    } catch (error) {
      return reject('secret-unusable', 503, error)
    }
    if (imported.size >= 4) imported.clear()
    imported.set(value, key)
    return key
  }

  return {
    get generation() {
      return generation
    },
    fresh: true,
    // A signer may already sign with a new AWSCURRENT: the provider re-reads it, single-flight and at most
    // once per its refreshCooldownMs, so bad signatures cannot make it ask Secrets Manager more often.
    async refetch() {
      const secrets = provider(createSecretsProvider)
      return typeof secrets.refresh === 'function' ? secrets.refresh(ref.secretId) : false
    },
    async keysFor(alg) {
      let secrets: { current: unknown; previous?: unknown }
      try {
        secrets = await provider(createSecretsProvider).getRotating(
          ref.secretId,
          ref.field === undefined ? {} : { field: ref.field },
        )
      } catch (error) {
        return reject('key-source-unavailable', 503, error)
      }
      if (secrets.current !== current) {
        current = secrets.current
        generation++
      }
      const values = secrets.previous === undefined ? [secrets.current] : [secrets.current, secrets.previous]
      return values.map(importValue).filter((key) => keyFitsAlgorithm(key, alg))
    },
  }
}
