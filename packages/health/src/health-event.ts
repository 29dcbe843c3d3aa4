import { publishSecurityEvent } from '@lift/security-core'
import { failingChecks, type HealthReport, type HealthStatus } from './health-report'

export interface HealthEventFacts {
  source: 'request' | 'schedule'
  path?: string
  cached: boolean
  details: boolean
  requestId: string | undefined
  at: number
}

/** One `health` event on lift:security (built only when someone subscribes). */
export function publishHealthEvent(
  status: HealthStatus,
  report: HealthReport | undefined,
  facts: HealthEventFacts,
): void {
  publishSecurityEvent(() => ({
    type: 'health',
    outcome: status === 'fail' ? 'deny' : 'allow',
    reason: status,
    ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
    at: facts.at,
    detail: {
      source: facts.source,
      ...(facts.path === undefined ? {} : { path: facts.path }),
      cached: facts.cached,
      details: facts.details,
      failing: report === undefined ? [] : failingChecks(report),
    },
  }))
}
