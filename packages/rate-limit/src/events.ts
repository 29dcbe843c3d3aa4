import { type Principal, publishSecurityEvent } from '@lift/security-core'
import { keyDigest } from './keys'

export type RateLimitReason =
  | 'within-limit'
  | 'limit-exceeded'
  | 'blocked-cached'
  | 'store-error-allowed'
  | 'store-error-denied'
  | 'fail-open-budget-exceeded'
  | 'invalid-key'

export interface DecisionEvent {
  reason: RateLimitReason
  requestId: string | undefined
  principal: Principal | undefined
  at: number
  /** The raw key: only its SHA-256 prefix is published. */
  rawKey: string
  limit?: string
  remaining?: number
  resetSec?: number
}

const DENYING = new Set<RateLimitReason>([
  'limit-exceeded',
  'blocked-cached',
  'store-error-denied',
  'fail-open-budget-exceeded',
  'invalid-key',
])

/** One `ratelimit` event on `lift:security` (built only when someone subscribes). */
export function publishDecision(decision: DecisionEvent): void {
  publishSecurityEvent(() => ({
    type: 'ratelimit',
    outcome: DENYING.has(decision.reason) ? 'deny' : 'allow',
    reason: decision.reason,
    ...(decision.requestId === undefined ? {} : { requestId: decision.requestId }),
    ...(decision.principal === undefined ? {} : { principalId: decision.principal.id }),
    ...(decision.principal?.tenantId === undefined ? {} : { tenantId: decision.principal.tenantId }),
    at: decision.at,
    detail: {
      ...(decision.limit === undefined ? {} : { limit: decision.limit }),
      key: keyDigest(decision.rawKey),
      ...(decision.remaining === undefined ? {} : { remaining: decision.remaining }),
      ...(decision.resetSec === undefined ? {} : { resetSec: decision.resetSec }),
    },
  }))
}
