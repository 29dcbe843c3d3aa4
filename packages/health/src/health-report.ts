/** The draft's three states: healthy, healthy with concerns, unhealthy. */
export type HealthStatus = 'pass' | 'warn' | 'fail'

/** One observation of a component, as the draft (draft-inadarei-api-health-check) defines it. */
export interface HealthCheckEntry {
  componentId?: string
  componentType?: string
  observedValue?: number | string | boolean
  observedUnit?: string
  status: HealthStatus
  /** ISO 8601 date-time at which the observation was recorded. */
  time: string
  /** Why the check is not a pass (or what it saw); only shown to callers allowed details. */
  output?: string
}

/** The `application/health+json` document: `checks` keys are `component:measurement`, each an array. */
export interface HealthReport {
  status: HealthStatus
  version?: string
  releaseId?: string
  serviceId?: string
  description?: string
  checks: Record<string, HealthCheckEntry[]>
}

/** The media type of health reports (draft-inadarei-api-health-check). */
export const HEALTH_CONTENT_TYPE = 'application/health+json'

/** The keys of the checks whose status is not `pass`. */
export function failingChecks(report: HealthReport): string[] {
  return Object.keys(report.checks).filter((key) =>
    report.checks[key]!.some((entry) => entry.status !== 'pass'),
  )
}
