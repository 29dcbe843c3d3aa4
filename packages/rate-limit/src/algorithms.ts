import type { ResolvedRule } from './rules'
import type { Clause, Snapshot, Update, WritePlan } from './snapshot'

/** Where one limit stands for a key. */
export interface LimitStatus {
  readonly rule: ResolvedRule
  /** Units that can still be consumed now (integer, >= 0). */
  readonly remaining: number
  /** Milliseconds until the quota resets: the window ends, or the bucket is full again. */
  readonly resetMs: number
}

/** The limit that refused a request. */
export interface DeniedLimit {
  readonly rule: ResolvedRule
  /** Milliseconds until a request of the same cost could be admitted (without other traffic). */
  readonly retryAfterMs: number
}

export interface Decision {
  readonly allowed: boolean
  /** Allowed: the atomic write that consumes the cost on every limit. */
  readonly plan: WritePlan
  /** Refused: the limit with the longest wait. */
  readonly denied?: DeniedLimit
  /** Refused and even a cost-1 request would be: how long the key can be blocked locally (ms, 0 = not). */
  readonly blockMs: number
}

/** One rule read from a snapshot at one instant (window: counters; bucket: TAT, in µs). */
export interface RuleState {
  readonly rule: ResolvedRule
  readonly nowMs: number
  /** Window: the counted window and its counters; `allowance` = highest current count the limit allows now. */
  readonly index: number
  readonly current: number
  readonly previous: number
  readonly allowance: number
  readonly staleIndexes: readonly number[]
  /** Bucket: the stored TAT (undefined when absent or not trusted) and max(TAT, now), in µs. */
  readonly tat: number | undefined
  /** Bucket: the stored TAT is beyond maxTrustedTatUs (a clock far ahead wrote it). */
  readonly wild: boolean
  readonly effectiveUs: number
  readonly nowUs: number
}

/**
 * Decides a request of `cost` units against every rule on one snapshot, and describes the write that
 * consumes it. The write's clauses restate every assumption taken from the snapshot, so applying it
 * atomically on the real (possibly newer) state can never admit more than the limits allow.
 */
export function decide(
  snapshot: Snapshot,
  rules: readonly ResolvedRule[],
  cost: number,
  nowMs: number,
): Decision {
  const states = rules.map((rule) => readState(snapshot, rule, nowMs))
  const refusal = refusalOf(states, cost)
  const clauses: Clause[] = []
  const updates: Update[] = []
  for (const state of states) writeParts(state, cost, clauses, updates)
  const plan: WritePlan = { clauses, updates, expiresAtSec: expiresAtSec(states, cost, nowMs) }
  return refusal === undefined
    ? { allowed: true, plan, blockMs: 0 }
    : { allowed: false, plan, denied: refusal.denied, blockMs: refusal.blockMs }
}

/** Where every limit stands on a snapshot (after a write, or at a refusal). */
export function statuses(snapshot: Snapshot, rules: readonly ResolvedRule[], nowMs: number): LimitStatus[] {
  return rules.map((rule) => statusOf(readState(snapshot, rule, nowMs), 0))
}

/** `c#<name>#<window index>`: the counter of one window of one limit. */
export function counterAttribute(name: string, windowIndex: number): string {
  return `c#${name}#${windowIndex}`
}

/** `tat#<name>`: the theoretical arrival time (epoch µs) of a token-bucket limit. */
export function tatAttribute(name: string): string {
  return `tat#${name}`
}

export function refusalOf(
  states: readonly RuleState[],
  cost: number,
): { denied: DeniedLimit; blockMs: number } | undefined {
  let denied: DeniedLimit | undefined
  let blockMs = 0
  for (const state of states) {
    if (fits(state, cost)) continue
    // A cost above the limit never fits: the client is told to wait one window (and should lower its cost).
    const retryAfterMs = waitMs(state, cost) ?? state.rule.windowMs
    if (denied === undefined || retryAfterMs > denied.retryAfterMs)
      denied = { rule: state.rule, retryAfterMs }
    if (!fits(state, 1)) blockMs = Math.max(blockMs, waitMs(state, 1) ?? 0)
  }
  return denied === undefined ? undefined : { denied, blockMs }
}

const NO_STALE: readonly number[] = Object.freeze([])

/**
 * Fixed window: one counter per window. Sliding window: the current counter plus the previous one weighted
 * by the part of it still inside the sliding window (Cloudflare's estimate), in integers scaled by the
 * window length so that the comparisons are exact. Token bucket (GCRA): one TAT in integer microseconds.
 */
function readState(snapshot: Snapshot, rule: ResolvedRule, nowMs: number): RuleState {
  if (rule.algorithm === 'token-bucket') return bucketState(rule, nowMs, snapshot[tatAttribute(rule.name)])
  const prefix = `c#${rule.name}#`
  const clockIndex = Math.floor(nowMs / rule.windowMs)
  const index = snapshot[prefix + (clockIndex + 1)] === undefined ? clockIndex : clockIndex + 1
  const oldest = rule.algorithm === 'sliding-window' ? index - 1 : index
  let staleIndexes: number[] | undefined
  for (const attr in snapshot) {
    if (!attr.startsWith(prefix)) continue
    const stale = Number(attr.slice(prefix.length))
    if (!Number.isSafeInteger(stale) || stale >= oldest) continue
    if (staleIndexes === undefined) staleIndexes = [stale]
    else staleIndexes.push(stale)
  }
  const previous = rule.algorithm === 'sliding-window' ? snapshot[prefix + (index - 1)] : undefined
  return windowState(rule, nowMs, index, snapshot[prefix + index], previous, staleIndexes)
}

/**
 * The state of a window rule once its counters are read, whatever holds them (an item, the memory store).
 * `index` is the clock's window, or the next one when a counter for it already exists: never count into a
 * window older than the next one already stored (a container whose clock runs behind). Counters further
 * ahead come from a badly wrong clock and are ignored, so they cannot freeze a key.
 */
export function windowState(
  rule: ResolvedRule,
  nowMs: number,
  index: number,
  currentCount: number | undefined,
  previousCount: number | undefined,
  staleIndexes: readonly number[] | undefined,
): RuleState {
  const w = rule.windowMs
  const elapsed = Math.min(Math.max(nowMs - index * w, 0), w)
  const previous = rule.algorithm === 'sliding-window' ? (previousCount ?? 0) : 0
  return {
    rule,
    nowMs,
    index,
    current: currentCount ?? 0,
    previous,
    allowance: floorDiv(rule.limit * w - previous * (w - elapsed), w),
    staleIndexes: staleIndexes ?? NO_STALE,
    tat: undefined,
    wild: false,
    effectiveUs: 0,
    nowUs: Math.floor(nowMs * 1000),
  }
}

/**
 * The latest TAT a container may trust: a correct clock never writes one beyond now + limit·T (a full
 * bucket's worth); one more bucket's worth is granted to clocks running ahead by up to one window. A TAT
 * beyond it was written by a clock further ahead and is ignored (a full bucket, replaced by the next write),
 * as window counters more than one window ahead are ignored: it cannot freeze the key for correct clocks.
 */
export function maxTrustedTatUs(rule: ResolvedRule, nowUs: number): number {
  return nowUs + 2 * rule.limit * rule.intervalUs
}

/** The state of a token-bucket rule from its stored TAT (undefined when absent). */
export function bucketState(rule: ResolvedRule, nowMs: number, stored: number | undefined): RuleState {
  const nowUs = Math.floor(nowMs * 1000)
  const wild = stored !== undefined && stored > maxTrustedTatUs(rule, nowUs)
  const tat = wild ? undefined : stored
  return {
    rule,
    nowMs,
    index: 0,
    current: 0,
    previous: 0,
    allowance: 0,
    staleIndexes: NO_STALE,
    tat,
    wild,
    effectiveUs: tat === undefined || tat < nowUs ? nowUs : tat,
    nowUs,
  }
}

function fits(state: RuleState, units: number): boolean {
  if (state.rule.algorithm !== 'token-bucket') return state.current + units <= state.allowance
  return (
    state.effectiveUs + units * state.rule.intervalUs - state.nowUs <=
    state.rule.limit * state.rule.intervalUs
  )
}

/** The status after `consumed` units were charged (0: as read). */
export function statusOf(state: RuleState, consumed: number): LimitStatus {
  const { rule } = state
  if (rule.algorithm === 'token-bucket') {
    const t = rule.intervalUs
    const effective = state.effectiveUs + consumed * t
    return {
      rule,
      remaining: Math.max(0, floorDiv(state.nowUs + rule.limit * t - effective, t)),
      resetMs: Math.ceil((effective - state.nowUs) / 1000),
    }
  }
  return {
    rule,
    remaining: Math.max(0, state.allowance - state.current - consumed),
    resetMs: (state.index + 1) * rule.windowMs - state.nowMs,
  }
}

/** Wait for `units` to fit without other traffic; undefined when they never can (more than the limit). */
function waitMs(state: RuleState, units: number): number | undefined {
  const { rule, nowMs } = state
  if (units > rule.limit) return undefined
  if (rule.algorithm === 'token-bucket') {
    const t = rule.intervalUs
    return Math.max(0, Math.ceil((state.effectiveUs + units * t - state.nowUs - rule.limit * t) / 1000))
  }
  const w = rule.windowMs
  const windowEnd = (state.index + 1) * w
  if (rule.algorithm === 'fixed-window') return windowEnd - nowMs
  const { current, previous } = state
  const room = rule.limit - current - units
  if (room >= 0 && previous > 0) {
    // Later in this window the previous count weighs less: wait until previous·(w−e) <= room·w.
    const elapsedNeeded = w - floorDiv(room * w, previous)
    return Math.max(0, state.index * w + elapsedNeeded - nowMs)
  }
  if (current === 0) return windowEnd - nowMs
  // In the next window this window's count weighs current·(w−e)/w.
  const elapsedNext = Math.max(0, w - floorDiv((rule.limit - units) * w, current))
  return windowEnd + elapsedNext - nowMs
}

/** The clauses and updates of one rule in the atomic write. */
function writeParts(state: RuleState, cost: number, clauses: Clause[], updates: Update[]): void {
  const { rule } = state
  if (rule.algorithm === 'token-bucket') {
    const attr = tatAttribute(rule.name)
    const increment = cost * rule.intervalUs
    // DynamoDB conditions cannot do arithmetic, so the GCRA branch is chosen here and asserted by the clause.
    if (state.wild) {
      clauses.push({ op: 'above', attr, value: maxTrustedTatUs(rule, state.nowUs) })
      updates.push({ op: 'set', attr, value: state.nowUs + increment })
    } else if (state.tat !== undefined && state.tat >= state.nowUs) {
      clauses.push({
        op: 'between',
        attr,
        min: state.nowUs,
        max: state.nowUs + rule.limit * rule.intervalUs - increment,
      })
      updates.push({ op: 'add', attr, value: increment })
    } else {
      clauses.push({ op: 'absent-or-below', attr, value: state.nowUs })
      updates.push({ op: 'set', attr, value: state.nowUs + increment })
    }
    return
  }
  const { name } = rule
  const current = counterAttribute(name, state.index)
  clauses.push({ op: 'at-most', attr: current, value: state.allowance - cost })
  clauses.push({ op: 'absent', attr: counterAttribute(name, state.index + 1) })
  if (rule.algorithm === 'sliding-window')
    clauses.push({ op: 'at-most', attr: counterAttribute(name, state.index - 1), value: state.previous })
  updates.push({ op: 'add', attr: current, value: cost })
  for (const stale of state.staleIndexes) updates.push({ op: 'remove', attr: counterAttribute(name, stale) })
}

/**
 * Epoch seconds after which a key's state may be dropped once `cost` is charged on every rule: the latest
 * retention of its rules, plus the grace of one longest window for a container whose clock runs behind.
 */
export function expiresAtSec(states: readonly RuleState[], cost: number, nowMs: number): number {
  let retentionMs = nowMs
  let maxWindowSec = 0
  for (const state of states) {
    retentionMs = Math.max(retentionMs, retention(state, cost))
    maxWindowSec = Math.max(maxWindowSec, state.rule.windowSec)
  }
  return Math.ceil(retentionMs / 1000) + maxWindowSec
}

/** Until when (epoch ms) the item must live for this rule after charging `cost`. */
function retention(state: RuleState, cost: number): number {
  const { rule } = state
  if (rule.algorithm === 'token-bucket') return Math.ceil((state.effectiveUs + cost * rule.intervalUs) / 1000)
  const windowEnd = (state.index + 1) * rule.windowMs
  // A sliding window's counter is still read during the next window.
  return rule.algorithm === 'sliding-window' ? windowEnd + rule.windowMs : windowEnd
}

/** floor(a / b) for safe integers, exact (b > 0). */
function floorDiv(a: number, b: number): number {
  let q = Math.floor(a / b)
  while (q * b > a) q--
  while ((q + 1) * b <= a) q++
  return q
}
