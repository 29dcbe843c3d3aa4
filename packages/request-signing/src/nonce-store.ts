import { assertKnownOptions } from '@lift/security-core'

/** Remembers nonces until they expire; `claim` is atomic: of concurrent claims of one nonce, one wins. */
export interface NonceStore {
  /** true when the nonce was not seen (or its record expired) and is now claimed until `expiresAtMs`. */
  claim(nonce: string, expiresAtMs: number, nowMs: number): Promise<boolean>
}

/**
 * Options of `memoryNonceStore()`: how many nonces it remembers.
 * @example
 * ```ts
 * import { memoryNonceStore } from '@lift/request-signing'
 *
 * memoryNonceStore({ maxEntries: 500_000 })
 * ```
 */
export interface MemoryNonceStoreOptions {
  /** Upper bound on remembered nonces. Default 100 000. */
  maxEntries?: number
}

/** Defaults of `memoryNonceStore()`: 100 000 nonces. */
export const memoryNonceStoreDefaults = Object.freeze({ maxEntries: 100_000 })

/**
 * A per-process nonce store (one Lambda container). Bounded: when full it drops expired nonces first, then
 * the oldest; size it above (requests per second × signature lifetime). Use dynamoNonceStore across containers.
 * @example
 * ```ts
 * import { memoryNonceStore, verifySignature } from '@lift/request-signing'
 *
 * const keys = { 'orders-caller': { key: process.env.ORDERS_CALLER_KEY!, alg: 'hmac-sha256' as const } }
 * verifySignature({ keys, nonce: { required: true, store: memoryNonceStore() } })
 * ```
 */
export function memoryNonceStore(options: MemoryNonceStoreOptions = {}): NonceStore {
  assertKnownOptions('memoryNonceStore', options, memoryNonceStoreDefaults)
  const { maxEntries } = { ...memoryNonceStoreDefaults, ...options }
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError('memoryNonceStore: maxEntries must be a positive integer')
  }
  const seen = new Map<string, number>()
  return {
    async claim(nonce, expiresAtMs, nowMs) {
      const expiry = seen.get(nonce)
      if (expiry !== undefined && expiry > nowMs) return false
      seen.delete(nonce)
      if (seen.size >= maxEntries) evict(seen, maxEntries, nowMs)
      seen.set(nonce, expiresAtMs)
      return true
    },
  }
}

function evict(seen: Map<string, number>, maxEntries: number, nowMs: number): void {
  for (const [nonce, expiry] of seen) if (expiry <= nowMs) seen.delete(nonce)
  while (seen.size >= maxEntries) seen.delete(seen.keys().next().value as string)
}
