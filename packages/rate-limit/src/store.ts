import type { DeniedLimit, LimitStatus } from './algorithms'
import type { ResolvedRule } from './rules'

/** One request to consume `cost` units of every rule for `key`, all or nothing. */
export interface ConsumeRequest {
  /** The store key (already hashed when needed; never a raw header value). */
  readonly key: string
  readonly rules: readonly ResolvedRule[]
  /** Positive integer. */
  readonly cost: number
  /** Epoch milliseconds, from the middleware's clock. */
  readonly now: number
  /** Aborted when storeTimeoutMs has passed: pass it to network calls. */
  readonly signal: AbortSignal
}

/**
 * What a `RateLimitStore` answers for one request: allowed or not, every limit's state, the limit that refused.
 */
export interface ConsumeResult {
  readonly allowed: boolean
  /** Every rule's state after the request (allowed) or when it was refused. */
  readonly statuses: readonly LimitStatus[]
  /** Refused: the limit with the longest wait. */
  readonly denied?: DeniedLimit
  /** Refused and even a cost-1 request would be: milliseconds the key may be blocked in memory. */
  readonly blockMs: number
}

/**
 * Where counts live. `consume` must be atomic per key: of concurrent calls, never more are admitted than the
 * rules allow, and a refused call changes nothing.
 */
export interface RateLimitStore {
  /** A store that never waits on I/O may return the result itself rather than a promise of it. */
  consume(request: ConsumeRequest): ConsumeResult | Promise<ConsumeResult>
  /** true for a store that never waits on I/O (memoryStore): it is called without a deadline timer. */
  readonly local?: boolean
  /**
   * Resolves once the store can answer (its client module loaded). Awaited before the `storeTimeoutMs`
   * deadline starts, so a one-time cold-start import never counts as a slow store.
   */
  ready?(): Promise<void>
}
