import type { HealthReport } from './health-report'

export interface CachedReport {
  readonly report: HealthReport
  /** True when this caller did not start a run: a cache hit, or a run already in flight. */
  readonly cached: boolean
}

export type ReportSource = (budgetMs: number) => Promise<CachedReport>

/**
 * Keeps the last report for ttlMs and lets concurrent callers share one run (single-flight), so that a
 * storm of health requests reaches each dependency at most once per TTL.
 */
export function cachedReports(
  run: (budgetMs: number) => Promise<HealthReport>,
  ttlMs: number,
  now: () => number,
): ReportSource {
  let last: { report: HealthReport; at: number } | undefined
  let inflight: Promise<HealthReport> | undefined
  return async (budgetMs) => {
    if (last !== undefined && now() - last.at < ttlMs) return { report: last.report, cached: true }
    if (inflight !== undefined) return { report: await inflight, cached: true }
    inflight = run(budgetMs)
    try {
      const report = await inflight
      last = { report, at: now() }
      return { report, cached: false }
    } finally {
      inflight = undefined
    }
  }
}
