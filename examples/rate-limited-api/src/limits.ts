import type { RateLimitRule } from '@lift/rate-limit'
import type { Principal } from '@lift/security-core'

/** Limits per plan, keyed by principal: a short burst (token bucket) and a sustained rate per minute. */
export const PLAN_LIMITS = Object.freeze({
  free: Object.freeze([
    { name: 'burst', limit: 5, windowSec: 1, algorithm: 'token-bucket' },
    { name: 'minute', limit: 20, windowSec: 60, algorithm: 'sliding-window' },
  ] satisfies RateLimitRule[]),
  paid: Object.freeze([
    { name: 'burst', limit: 20, windowSec: 1, algorithm: 'token-bucket' },
    { name: 'minute', limit: 300, windowSec: 60, algorithm: 'sliding-window' },
  ] satisfies RateLimitRule[]),
})

/** Anonymous routes, keyed by source IP. */
export const ANONYMOUS_LIMITS = Object.freeze([
  { name: 'minute', limit: 10, windowSec: 60, algorithm: 'fixed-window' },
] satisfies RateLimitRule[])

export type Plan = keyof typeof PLAN_LIMITS

/** The plan from the token's `plan` claim; anything but "paid" is the free plan. */
export function planOf(principal: Principal | undefined): Plan {
  return principal?.claims.plan === 'paid' ? 'paid' : 'free'
}

/** Units a request costs: report generation weighs five ordinary requests. */
export const REPORT_COST = 5
