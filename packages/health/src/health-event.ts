import { publishSecurityEvent } from '@lift/security-core'
import { failingChecks, type HealthReport, type HealthStatus } from './health-report'

export interface HealthEventFacts {
  source: 'request' | 'schedule'
  path?: string
  cached: boolean
  details: boolean
  /** Set when the request presented a wrong credential for details: the event is this denial. */
  denied?: string
  requestId: string | undefined
  at: number
}

/**
 * One `health` event on lift:security (built only when someone subscribes): an allow for a pass or warn, a
 * deny for a fail, or a deny with the policy's reason when the request presented a wrong details credential
 * (the report's status then goes in `detail.status`).
 */
export function publishHealthEvent(
  status: HealthStatus,
  report: HealthReport | undefined,
  facts: HealthEventFacts,
): void {
  publishSecurityEvent(() => ({
    type: 'health',
    outcome: facts.denied !== undefined || status === 'fail' ? 'deny' : 'allow',
    reason: facts.denied ?? status,
    ...(facts.requestId === undefined ? {} : { requestId: facts.requestId }),
    at: facts.at,
    detail: {
      source: facts.source,
      ...(facts.path === undefined ? {} : { path: facts.path }),
      cached: facts.cached,
      details: facts.details,
      ...(facts.denied === undefined ? {} : { status }),
      failing: report === undefined ? [] : failingChecks(report),
    },
  }))
}
