import {
  bucketState,
  counterAttribute,
  expiresAtSec,
  type LimitStatus,
  type RuleState,
  refusalOf,
  statusOf,
  tatAttribute,
  windowState,
} from './algorithms'
import type { ResolvedRule } from './rules'
import type { ConsumeResult } from './store'

/**
 * What the memory store keeps for one limit name of one key: the same values as the DynamoDB item's
 * `c#<name>#<window>` counters and `tat#<name>`, held by number instead of by attribute name, so that a
 * request builds no attribute strings and does no string-keyed lookups (the costliest part of the path).
 */
export interface LimitSlot {
  /** Window index → units counted in it (at most the previous, current and next window). */
  readonly windows: Map<number, number>
  /** Token bucket: theoretical arrival time in epoch µs. */
  tat: number | undefined
}

/** Limit name → its slot, for one key. */
export type MemoryState = Map<string, LimitSlot>

export interface MemoryConsumeResult extends ConsumeResult {
  /** Admitted: until when (epoch ms) the key's state must be kept. */
  readonly expiresAtMs: number
}

/**
 * Decides a request of `cost` units against every rule and, when admitted, charges it to `state` in place:
 * the same decision and the same resulting values as `decide` and its write plan on the equivalent item
 * (a property test holds the two together).
 */
export function consumeInMemory(
  state: MemoryState,
  rules: readonly ResolvedRule[],
  cost: number,
  nowMs: number,
): MemoryConsumeResult {
  const states: RuleState[] = new Array(rules.length)
  for (let i = 0; i < rules.length; i++) states[i] = readSlot(state.get(rules[i]!.name), rules[i]!, nowMs)
  const refusal = refusalOf(states, cost)
  if (refusal !== undefined)
    return { allowed: false, statuses: states.map((s) => statusOf(s, 0)), ...refusal, expiresAtMs: 0 }
  const statuses: LimitStatus[] = new Array(states.length)
  for (let i = 0; i < states.length; i++) {
    const ruleState = states[i]!
    const { rule } = ruleState
    let slot = state.get(rule.name)
    if (slot === undefined) {
      slot = { windows: new Map(), tat: undefined }
      state.set(rule.name, slot)
    }
    if (rule.algorithm === 'token-bucket') {
      slot.tat = ruleState.effectiveUs + cost * rule.intervalUs
    } else {
      slot.windows.set(ruleState.index, ruleState.current + cost)
      for (const stale of ruleState.staleIndexes) slot.windows.delete(stale)
    }
    statuses[i] = statusOf(ruleState, cost)
  }
  return { allowed: true, statuses, blockMs: 0, expiresAtMs: expiresAtSec(states, cost, nowMs) * 1000 }
}

function readSlot(slot: LimitSlot | undefined, rule: ResolvedRule, nowMs: number): RuleState {
  if (rule.algorithm === 'token-bucket') return bucketState(rule, nowMs, slot?.tat)
  const clockIndex = Math.floor(nowMs / rule.windowMs)
  if (slot === undefined) return windowState(rule, nowMs, clockIndex, undefined, undefined, undefined)
  const { windows } = slot
  const index = windows.has(clockIndex + 1) ? clockIndex + 1 : clockIndex
  const oldest = rule.algorithm === 'sliding-window' ? index - 1 : index
  let staleIndexes: number[] | undefined
  for (const stored of windows.keys()) {
    if (stored >= oldest) continue
    if (staleIndexes === undefined) staleIndexes = [stored]
    else staleIndexes.push(stored)
  }
  return windowState(rule, nowMs, index, windows.get(index), windows.get(index - 1), staleIndexes)
}

/** The memory state as the equivalent DynamoDB item attributes (for tests and debugging). */
export function memoryStateAttributes(state: MemoryState): Record<string, number> {
  const attributes: Record<string, number> = {}
  for (const [name, slot] of state) {
    for (const [index, count] of slot.windows) attributes[counterAttribute(name, index)] = count
    if (slot.tat !== undefined) attributes[tatAttribute(name)] = slot.tat
  }
  return attributes
}
