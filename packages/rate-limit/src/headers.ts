import type { DeniedLimit, LimitStatus } from './algorithms'
import type { RateLimitRule, ResolvedRules } from './rules'

/**
 * Which rate-limit headers `rateLimit()` sets: the IETF `RateLimit-Policy`/`RateLimit` and the legacy `X-RateLimit-*`.
 * @example
 * ```ts
 * import { memoryStore, rateLimit } from '@lift/rate-limit'
 *
 * rateLimit({
 *   key: 'ip',
 *   limits: [{ name: 'minute', limit: 60, windowSec: 60, algorithm: 'fixed-window' }],
 *   store: memoryStore(),
 *   headers: { standard: true, legacy: true },
 * })
 * ```
 */
export interface HeaderOptions {
  /** `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers). Default true. */
  standard?: boolean
  /** `X-RateLimit-Limit`, `X-RateLimit-Remaining`, `X-RateLimit-Reset` (seconds). Default false. */
  legacy?: boolean
}

/**
 * `RateLimit-Policy` of a rule list: every limit as a structured-field list item, `"minute";q=600;w=60` (quota, window in
 * seconds). Limit names are restricted to characters that need no escaping in an sf-string.
 * @example
 * ```ts
 * import { policyHeader } from '@lift/rate-limit'
 *
 * policyHeader([{ name: 'minute', limit: 600, windowSec: 60, algorithm: 'fixed-window' }]) // '"minute";q=600;w=60'
 * ```
 */
export function policyHeader(rules: readonly RateLimitRule[]): string {
  return rules.map((rule) => `"${rule.name}";q=${rule.limit};w=${rule.windowSec}`).join(', ')
}

/**
 * The response fields for one decision. `RateLimit` names the limit closest to exhaustion (fewest remaining
 * units; on a tie the later reset) as `"minute";r=42;t=17`; on a refusal it names the refusing limit and `t`
 * equals Retry-After, so that the two never disagree.
 */
export function rateLimitHeaders(
  rules: ResolvedRules,
  statuses: readonly LimitStatus[],
  denied: DeniedLimit | undefined,
  options: Required<HeaderOptions>,
): Record<string, string> {
  const headers: Record<string, string> = {}
  const shown = denied === undefined ? closestToExhaustion(statuses) : deniedStatus(statuses, denied)
  if (options.standard) {
    headers['RateLimit-Policy'] = rules.policy
    if (shown !== undefined)
      headers.RateLimit = `"${shown.rule.name}";r=${shown.remaining};t=${seconds(shown.resetMs)}`
  }
  if (options.legacy && shown !== undefined) {
    headers['X-RateLimit-Limit'] = String(shown.rule.limit)
    headers['X-RateLimit-Remaining'] = String(shown.remaining)
    headers['X-RateLimit-Reset'] = String(seconds(shown.resetMs))
  }
  return headers
}

/** Whole seconds, rounded up, never negative. */
export function seconds(ms: number): number {
  return Math.max(0, Math.ceil(ms / 1000))
}

/** The status with the fewest remaining units (on a tie, the later reset). */
export function closestToExhaustion(statuses: readonly LimitStatus[]): LimitStatus | undefined {
  let closest: LimitStatus | undefined
  for (const status of statuses) {
    if (
      closest === undefined ||
      status.remaining < closest.remaining ||
      (status.remaining === closest.remaining && status.resetMs > closest.resetMs)
    )
      closest = status
  }
  return closest
}

function deniedStatus(statuses: readonly LimitStatus[], denied: DeniedLimit): LimitStatus {
  const status = statuses.find((s) => s.rule.name === denied.rule.name)
  return { rule: denied.rule, remaining: status?.remaining ?? 0, resetMs: denied.retryAfterMs }
}
