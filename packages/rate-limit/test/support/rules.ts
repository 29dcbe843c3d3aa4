import type { RateLimitRule, ResolvedRule } from '../../src/index'
import { resolveRules } from '../../src/rules'

/** 2026-01-01T00:00:00Z: a whole number of every window used in the tests. */
export const T0 = Date.UTC(2026, 0, 1)

export function rule(
  name: string,
  limit: number,
  windowSec: number,
  algorithm: RateLimitRule['algorithm'],
): RateLimitRule {
  return { name, limit, windowSec, algorithm }
}

export function resolved(...rules: RateLimitRule[]): readonly ResolvedRule[] {
  return resolveRules(rules, 'test').rules
}

export const ALGORITHMS = ['fixed-window', 'sliding-window', 'token-bucket'] as const

/** A clock that only moves when told. */
export function manualClock(start = T0) {
  let now = start
  return {
    now: () => now,
    set: (ms: number) => {
      now = ms
    },
    advance: (ms: number) => {
      now += ms
    },
  }
}
