import type { KeyEntry, ResolvedKey } from './keys'
import type { KeyLookup } from './rfc9421-verifier'

/** Entries of `secretsManagerHmacKey()`: re-reads their secret's AWSCURRENT (the provider's `refresh`). */
export const refetchers = new WeakMap<KeyEntry, () => Promise<boolean>>()

/**
 * The key whose verifiers accept the signature, or undefined. A signer may sign with a new AWSCURRENT while
 * this verifier still caches the values before it: when the entry's secret is in Secrets Manager, a miss
 * re-reads it once (the provider single-flights and rate-limits that per `refreshCooldownMs`) and, if it
 * changed, looks the key id up again. A failing re-read or lookup keeps the refusal (401), not a 503: the
 * signature matched none of the keys this verifier has, and the cached keys keep serving the other requests.
 */
export async function verifyingKey(
  resolved: ResolvedKey,
  keyId: string,
  lookupKey: KeyLookup,
  verifies: (key: ResolvedKey) => boolean,
): Promise<ResolvedKey | undefined> {
  if (verifies(resolved)) return resolved
  const refetch = refetchers.get(resolved.entry)
  if (refetch === undefined) return undefined
  let again: ResolvedKey | undefined
  try {
    if (!(await refetch())) return undefined
    again = await lookupKey(keyId)
  } catch {
    return undefined
  }
  if (again === undefined || again.entry === resolved.entry || again.entry.alg !== resolved.entry.alg) {
    return undefined
  }
  return verifies(again) ? again : undefined
}
