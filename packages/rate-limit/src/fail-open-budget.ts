import { TtlLruCache } from '@lift/security-core'
import { memoryStore } from './memory-store'
import { neverAborted } from './never-aborted'
import { type ResolvedRule, type ResolvedRules, resolveRules } from './rules'
import type { ConsumeResult } from './store'

/** A key whose store failed in this container, until the store answers for it again. */
export interface FailingKey {
  /** A request for the key is on its way to the store: the others decide locally instead of waiting too. */
  probing: boolean
  /** Window (of the key's longest rule) in which the failure was last logged and published. */
  reportedWindow: number
}

/**
 * What a container may admit for a key while the store fails for it: `share` of every limit (at least one
 * unit), counted in memory with the same algorithms. N containers failing open together admit at most
 * N × share × limit per window on top of what the store admitted, instead of everything.
 */
export class FailOpenBudget {
  private readonly failing: TtlLruCache<string, FailingKey>
  private readonly counts
  private readonly scaled = new WeakMap<ResolvedRules, readonly ResolvedRule[]>()

  constructor(
    private readonly share: number,
    maxKeys: number,
  ) {
    this.failing = new TtlLruCache({ maxEntries: maxKeys, ttlMs: Number.POSITIVE_INFINITY })
    this.counts = memoryStore({ maxKeys })
  }

  get(key: string): FailingKey | undefined {
    return this.failing.get(key)
  }

  /** The store answered for the key: it is decided by the store again. */
  recovered(key: string): void {
    this.failing.delete(key)
  }

  /** Marks the key failing; true when this failure is the first of its window (log and publish it). */
  failed(key: string, rules: ResolvedRules, at: number): boolean {
    const window = Math.floor(at / (rules.maxWindowSec * 1000))
    let entry = this.failing.get(key)
    if (entry === undefined) {
      entry = { probing: false, reportedWindow: Number.NaN }
      this.failing.set(key, entry)
    }
    entry.probing = false
    if (entry.reportedWindow === window) return false
    entry.reportedWindow = window
    return true
  }

  /** Decides a request from the local budget (synchronously). */
  consume(key: string, rules: ResolvedRules, cost: number, now: number): ConsumeResult {
    return this.counts.consume({
      key,
      rules: this.rulesFor(rules),
      cost,
      now,
      signal: neverAborted(),
    }) as ConsumeResult
  }

  private rulesFor(resolved: ResolvedRules): readonly ResolvedRule[] {
    let rules = this.scaled.get(resolved)
    if (rules === undefined) {
      const scaledRules = resolved.rules.map(({ name, limit, windowSec, algorithm }) => ({
        name,
        limit: Math.max(1, Math.floor(limit * this.share)),
        windowSec,
        algorithm,
      }))
      rules = resolveRules(scaledRules, 'rateLimit: failOpenShare').rules
      this.scaled.set(resolved, rules)
    }
    return rules
  }
}
