import type { HealthReport } from './health-report'

export interface CachedReport {
  readonly report: HealthReport
  /** True when this caller did not start a run: a cache hit, or a run already in flight. */
  readonly cached: boolean
}

/** `complete`: whether every check gets its whole timeout within budgetMs (only such a run is cached or shared). */
export type ReportSource = (budgetMs: number, complete: boolean) => Promise<CachedReport>

/**
 * Keeps the last report for ttlMs and lets concurrent callers share one run (single-flight), so that a
 * storm of health requests reaches each dependency at most once per TTL. A caller with too little time
 * left for the checks' whole timeouts (`complete` false) takes a fresh cached report if there is one, and
 * otherwise runs its own, shortened, run that it neither shares nor keeps: a timeout caused by one
 * invocation's deadline must not answer everyone else for ttlMs, and joining a full run could outlast it.
 */
export function cachedReports(
  run: (budgetMs: number) => Promise<HealthReport>,
  ttlMs: number,
  now: () => number,
): ReportSource {
  let last: { report: HealthReport; at: number } | undefined
  let inflight: Promise<HealthReport> | undefined
  return async (budgetMs, complete) => {
    if (last !== undefined && now() - last.at < ttlMs) return { report: last.report, cached: true }
    if (!complete) return { report: await run(budgetMs), cached: false }
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
