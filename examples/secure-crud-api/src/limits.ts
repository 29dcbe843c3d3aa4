import type { RateLimitRule } from '@lift/rate-limit'
import type { Principal } from '@lift/security-core'

/** Per-plan limits for authenticated callers, chosen from the token's `plan` claim (free unless it names another plan). */
export const PLAN_LIMITS: Readonly<Record<'free' | 'pro' | 'enterprise', readonly RateLimitRule[]>> =
  Object.freeze({
    free: Object.freeze([
      { name: 'burst', limit: 10, windowSec: 1, algorithm: 'token-bucket' },
      { name: 'minute', limit: 120, windowSec: 60, algorithm: 'sliding-window' },
    ] as const),
    pro: Object.freeze([
      { name: 'burst', limit: 50, windowSec: 1, algorithm: 'token-bucket' },
      { name: 'minute', limit: 1200, windowSec: 60, algorithm: 'sliding-window' },
    ] as const),
    enterprise: Object.freeze([
      { name: 'burst', limit: 1000, windowSec: 1, algorithm: 'token-bucket' },
      { name: 'minute', limit: 60_000, windowSec: 60, algorithm: 'sliding-window' },
    ] as const),
  })

/** Anonymous routes, per source IP. */
export const ANONYMOUS_LIMITS: readonly RateLimitRule[] = Object.freeze([
  { name: 'anonymous', limit: 30, windowSec: 60, algorithm: 'fixed-window' },
])

export function planLimits(principal: Principal | undefined): readonly RateLimitRule[] {
  const plan = principal?.claims.plan
  return plan === 'pro' || plan === 'enterprise' ? PLAN_LIMITS[plan] : PLAN_LIMITS.free
}
