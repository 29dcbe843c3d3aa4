import { assertKnownOptions } from './known-options'

/**
 * Options of `new TtlLruCache()`: its size bound, the entry lifetime and the clock.
 * @example
 * ```ts
 * import { TtlLruCache } from '@lift/security-core'
 *
 * const cache = new TtlLruCache<string, object>({ maxEntries: 1000, ttlMs: 60_000 })
 * ```
 */
export interface TtlLruCacheOptions {
  /** Most entries held at once; setting one more evicts the least recently used. Positive integer. */
  maxEntries: number
  /** Default and maximum lifetime of an entry in milliseconds. Positive; Infinity means no expiry. */
  ttlMs: number
  /** Clock in epoch milliseconds; defaults to Date.now. */
  now?: () => number
}

interface Entry<V> {
  value: V
  expiresAt: number
}

const NO_KEY: unique symbol = Symbol('no key')
const OPTION_NAMES = new Set(['maxEntries', 'ttlMs', 'now'])

/**
 * A bounded cache with least-recently-used eviction and a lifetime per entry. Every operation is O(1): a
 * Map keeps entries in insertion order, and a hit re-inserts its entry to make it the most recent (unless
 * it already is).
 * Expired entries are removed when they are next touched (get, has, delete) or evicted.
 */
export class TtlLruCache<K, V> {
  readonly #entries = new Map<K, Entry<V>>()
  readonly #maxEntries: number
  readonly #ttlMs: number
  readonly #now: () => number
  // The most recently used key: a hit on it needs no re-insert (a burst of one client's requests).
  #newest: K | typeof NO_KEY = NO_KEY

  constructor(options: TtlLruCacheOptions) {
    assertOptions(options)
    this.#maxEntries = options.maxEntries
    this.#ttlMs = options.ttlMs
    this.#now = options.now ?? Date.now
  }

  /** Entries held, including expired ones not yet removed. */
  get size(): number {
    return this.#entries.size
  }

  /** The live value (and makes it the most recently used), or undefined when absent or expired. */
  get(key: K): V | undefined {
    const entry = this.#liveEntry(key)
    if (entry === undefined) return undefined
    if (key !== this.#newest) {
      this.#entries.delete(key)
      this.#entries.set(key, entry)
      this.#newest = key
    }
    return entry.value
  }

  /** Stores the value for the smaller of `ttlMs` and the cache's ttlMs. A ttlMs of 0 only removes the key. */
  set(key: K, value: V, ttlMs?: number): void {
    if (ttlMs !== undefined && (typeof ttlMs !== 'number' || !(ttlMs >= 0))) {
      throw new RangeError(`TtlLruCache.set: ttlMs must be a number >= 0, got ${String(ttlMs)}`)
    }
    const lifetime = ttlMs === undefined ? this.#ttlMs : Math.min(ttlMs, this.#ttlMs)
    this.#remove(key)
    if (lifetime === 0) return
    this.#entries.set(key, { value, expiresAt: this.#now() + lifetime })
    this.#newest = key
    if (this.#entries.size > this.#maxEntries) {
      // A for-of the optimizer can compile without allocating, unlike keys().next() (iterator + result).
      for (const leastRecent of this.#entries.keys()) {
        this.#entries.delete(leastRecent)
        break
      }
    }
  }

  /** Whether a live entry exists; does not change recency. */
  has(key: K): boolean {
    return this.#liveEntry(key) !== undefined
  }

  /** Removes the key; true when a live entry was removed. */
  delete(key: K): boolean {
    const live = this.#liveEntry(key) !== undefined
    this.#remove(key)
    return live
  }

  clear(): void {
    this.#entries.clear()
    this.#newest = NO_KEY
  }

  #liveEntry(key: K): Entry<V> | undefined {
    const entry = this.#entries.get(key)
    if (entry === undefined) return undefined
    if (this.#now() >= entry.expiresAt) {
      this.#remove(key)
      return undefined
    }
    return entry
  }

  #remove(key: K): void {
    this.#entries.delete(key)
    if (key === this.#newest) this.#newest = NO_KEY
  }
}

function assertOptions(options: TtlLruCacheOptions): void {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('TtlLruCache: options { maxEntries, ttlMs } are required')
  }
  assertKnownOptions('TtlLruCache', options, OPTION_NAMES)
  if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) {
    throw new RangeError(
      `TtlLruCache: maxEntries must be a positive integer, got ${String(options.maxEntries)}`,
    )
  }
  if (typeof options.ttlMs !== 'number' || !(options.ttlMs > 0)) {
    throw new RangeError(`TtlLruCache: ttlMs must be a number > 0, got ${String(options.ttlMs)}`)
  }
  if (options.now !== undefined && typeof options.now !== 'function') {
    throw new TypeError('TtlLruCache: now must be a function returning epoch milliseconds')
  }
}
