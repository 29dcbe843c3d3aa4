import { type HealthChecks, milliseconds, normalizeChecks } from './check-definition'
import { publishHealthEvent } from './health-event'
import { healthCheckDefaults, resolveServiceInfo } from './health-options'
import type { HealthReport } from './health-report'
import { runBudget, runChecks } from './run-checks'

/**
 * Options of `runHealthChecks()`: deadlines, the Lambda context that bounds the run, and the service identity.
 * @example
 * ```ts
 * import { memoryCheck, runHealthChecks } from '@lift/health'
 *
 * await runHealthChecks([memoryCheck()], { context, serviceId: 'orders-api', reportTimeoutMs: 10_000 })
 * ```
 */
export interface RunHealthChecksOptions {
  /** Default timeout of each check. Default 1000. */
  timeoutMs?: number
  /** Deadline of the whole run. Default 3000. */
  reportTimeoutMs?: number
  /** With `context`: the run ends this long before the invocation's remaining time. Default 500. */
  safetyMarginMs?: number
  /** The Lambda context: bounds the run by its remaining time; its awsRequestId goes into the event. */
  context?: { awsRequestId?: string; getRemainingTimeInMillis?: () => number }
  serviceId?: string
  version?: string
  releaseId?: string
  description?: string
  /** Clock in epoch milliseconds. Default Date.now. */
  now?: () => number
}

const OWNER = 'runHealthChecks'
const OPTION_NAMES = new Set([
  'timeoutMs',
  'reportTimeoutMs',
  'safetyMarginMs',
  'context',
  'serviceId',
  'version',
  'releaseId',
  'description',
  'now',
])

/**
 * Runs the checks once, uncached (for an EventBridge schedule), returns the full report with every output,
 * and publishes a `health` event with source 'schedule'.
 * @example
 * ```ts
 * import { memoryCheck, runHealthChecks } from '@lift/health'
 * import type { Context } from 'aws-lambda'
 *
 * export const scheduled = async (_event: unknown, context: Context) => {
 *   const report = await runHealthChecks([memoryCheck()], { context, serviceId: 'orders-api' })
 *   console.log(JSON.stringify({ status: report.status }))
 * }
 * ```
 */
export async function runHealthChecks(
  checks: HealthChecks,
  options: RunHealthChecksOptions = {},
): Promise<HealthReport> {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${OWNER}: options must be an object`)
  for (const name of Object.keys(options))
    if (!OPTION_NAMES.has(name)) throw new TypeError(`${OWNER}: unknown option "${name}"`)
  const d = healthCheckDefaults
  const timeoutMs = milliseconds('timeoutMs', options.timeoutMs ?? d.timeoutMs, OWNER)
  const normalized = normalizeChecks(checks, timeoutMs, OWNER)
  const reportTimeoutMs = milliseconds('reportTimeoutMs', options.reportTimeoutMs ?? d.reportTimeoutMs, OWNER)
  const safetyMarginMs = milliseconds('safetyMarginMs', options.safetyMarginMs ?? d.safetyMarginMs, OWNER)
  if (options.now !== undefined && typeof options.now !== 'function')
    throw new TypeError(`${OWNER}: now must be a function`)
  const now = options.now ?? Date.now
  const budgetMs = runBudget(reportTimeoutMs, safetyMarginMs, options.context)
  const report = await runChecks(normalized, budgetMs, now, resolveServiceInfo(options, OWNER))
  publishHealthEvent(report.status, report, {
    source: 'schedule',
    cached: false,
    details: true,
    requestId: options.context?.awsRequestId,
    at: now(),
  })
  return report
}
