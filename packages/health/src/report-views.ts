import type { HealthCheckEntry, HealthReport } from './health-report'

/** What a caller without details sees: the status only, or the status and each check's status. */
export type AnonymousLevel = 'status' | 'checks'

/** The report as a caller may see it: in full with details, else reduced to the anonymous level. */
export function reportView(
  report: HealthReport,
  details: boolean,
  level: AnonymousLevel,
): Partial<HealthReport> {
  if (details) return report
  if (level === 'status') return { status: report.status }
  const checks: Record<string, Pick<HealthCheckEntry, 'status'>[]> = {}
  for (const [key, entries] of Object.entries(report.checks)) {
    checks[key] = entries.map((entry) => ({ status: entry.status }))
  }
  return { status: report.status, checks } as Partial<HealthReport>
}
