import { consumeInMemory, type MemoryState } from './memory-state'
import { checkOptionNames } from './option-names'
import type { RateLimitStore } from './store'

const OPTION_NAMES: ReadonlySet<string> = new Set(['maxKeys'])

/**
 * Options of `memoryStore()`: how many keys it holds.
 * @example
 * ```ts
 * import { memoryStore } from '@lift/rate-limit'
 *
 * memoryStore({ maxKeys: 50_000 })
 * ```
 */
export interface MemoryStoreOptions {
  /** Most keys held; when full, the least recently used key is forgotten (its counts restart). Default 10 000. */
  maxKeys?: number
}

/** Defaults of `memoryStore()`: 10 000 keys. */
export const memoryStoreDefaults = Object.freeze({ maxKeys: 10_000 })

interface Entry {
  state: MemoryState
  expiresAtMs: number
  /** When the entry was last moved to the most recent end of the map. */
  touchedAtMs: number
}

/** Recency is refreshed at most this often per key: LRU to the second, without a Map write per request. */
const RECENCY_GRANULARITY_MS = 1_000

/**
 * Counts in this process only (one Lambda container): exact within it, but each container counts alone.
 * Use dynamoStore for limits that hold across containers. Memory is bounded by `maxKeys` (least recently
 * used keys go first); size it above the number of distinct keys active within your longest window.
 * @example
 * ```ts
 * import { memoryStore, rateLimit } from '@lift/rate-limit'
 *
 * rateLimit({ key: 'principal', limits: [{ name: 'second', limit: 10, windowSec: 1, algorithm: 'token-bucket' }], store: memoryStore() })
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): RateLimitStore {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('memoryStore: options must be an object')
  checkOptionNames(options, OPTION_NAMES, 'memoryStore')
  const { maxKeys } = { ...memoryStoreDefaults, ...options }
  if (!Number.isSafeInteger(maxKeys) || maxKeys < 1)
    throw new RangeError('memoryStore: maxKeys must be a positive integer')
  // Map iteration order is insertion order: the first key is the least recently touched one.
  const entries = new Map<string, Entry>()
  const touch = (key: string, entry: Entry, now: number): void => {
    entries.delete(key)
    entries.set(key, entry)
    entry.touchedAtMs = now
    if (entries.size > maxKeys) entries.delete(entries.keys().next().value as string)
  }
  return {
    local: true,
    consume({ key, rules, cost, now }) {
      let entry = entries.get(key)
      // Expiry is compared with the middleware's clock, and an expired entry counts as empty.
      if (entry === undefined || entry.expiresAtMs <= now) {
        entry = { state: new Map(), expiresAtMs: 0, touchedAtMs: now }
        touch(key, entry, now)
      } else if (now - entry.touchedAtMs >= RECENCY_GRANULARITY_MS || now < entry.touchedAtMs) {
        touch(key, entry, now)
      }
      // Decided and applied in one synchronous step: nothing else runs in between, so no clause can break.
      const result = consumeInMemory(entry.state, rules, cost, now)
      if (result.allowed) entry.expiresAtMs = result.expiresAtMs
      return result
    },
  }
}
