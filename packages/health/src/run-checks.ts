import type { CheckResult, NormalizedCheck } from './check-definition'
import type { HealthCheckEntry, HealthReport, HealthStatus } from './health-report'

/** The report's describing fields, copied onto every report. */
export interface ServiceInfo {
  version?: string
  releaseId?: string
  serviceId?: string
  description?: string
}

const STATUSES: ReadonlySet<unknown> = new Set(['pass', 'warn', 'fail'])
const MAX_OUTPUT_LENGTH = 200
/** The longest delay setTimeout honours (2^31 - 1 ms); a longer one would fire after 1 ms. */
export const MAX_TIMER_MS = 2_147_483_647
// A URL's userinfo (`scheme://user:password@`) and its query or fragment, wherever an output mentions one.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#]*@/gi
const URL_QUERY = /(\b[a-z][a-z0-9+.-]*:\/\/[^\s?#]*)[?#]\S*/gi

/**
 * Runs every check at once, each bounded by min(its timeout, budgetMs), and builds the full report
 * (outputs included). Never rejects: a check that throws, hangs or returns nonsense is a `fail`.
 */
export async function runChecks(
  checks: readonly NormalizedCheck[],
  budgetMs: number,
  now: () => number,
  service: ServiceInfo,
): Promise<HealthReport> {
  const entries = await Promise.all(checks.map((check) => runCheck(check, budgetMs, now)))
  const report: HealthReport = { status: overallStatus(checks, entries), ...service, checks: {} }
  checks.forEach((check, index) => {
    report.checks[check.key] = [entries[index]!]
  })
  return report
}

/** A run's deadline: reportTimeoutMs, or less when the invocation ends sooner (minus a safety margin). */
export function runBudget(
  reportTimeoutMs: number,
  safetyMarginMs: number,
  context: { getRemainingTimeInMillis?: () => number } | undefined,
): number {
  const remaining = context?.getRemainingTimeInMillis?.()
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return reportTimeoutMs
  return Math.max(0, Math.min(reportTimeoutMs, remaining - safetyMarginMs))
}

function overallStatus(
  checks: readonly NormalizedCheck[],
  entries: readonly HealthCheckEntry[],
): HealthStatus {
  let status: HealthStatus = 'pass'
  entries.forEach((entry, index) => {
    if (entry.status === 'fail' && checks[index]!.critical) status = 'fail'
    else if (entry.status !== 'pass' && status === 'pass') status = 'warn'
  })
  return status
}

type Settled = { ok: true; result: unknown } | { ok: false; error: unknown } | { timedOut: true }

async function runCheck(
  check: NormalizedCheck,
  budgetMs: number,
  now: () => number,
): Promise<HealthCheckEntry> {
  const controller = new AbortController()
  const limitMs = Math.max(0, Math.min(check.timeoutMs, budgetMs, MAX_TIMER_MS))
  const started = now()
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<Settled>((resolve) => {
    timer = setTimeout(() => {
      // Resolve first so the race settles on the timeout, then tell the check to stop its work.
      resolve({ timedOut: true })
      controller.abort(new DOMException('The health check timed out', 'TimeoutError'))
    }, limitMs)
  })
  let settled: Settled
  try {
    settled = await Promise.race([invoke(check, controller.signal, now), deadline])
  } finally {
    clearTimeout(timer)
  }
  const finished = now()
  const base = {
    ...(check.componentId === undefined ? {} : { componentId: check.componentId }),
    ...(check.componentType === undefined ? {} : { componentType: check.componentType }),
  }
  const time = new Date(finished).toISOString()
  if ('timedOut' in settled) return { ...base, status: 'fail', time, output: 'timeout' }
  if (!settled.ok) return { ...base, status: 'fail', time, output: errorOutput(settled.error) }
  const result = settled.result
  if (!isCheckResult(result)) return { ...base, status: 'fail', time, output: 'invalid check result' }
  const elapsedMs = Math.max(0, finished - started)
  const entry: HealthCheckEntry = {
    ...base,
    observedValue: result.observedValue ?? elapsedMs,
    ...(result.observedUnit !== undefined
      ? { observedUnit: result.observedUnit }
      : result.observedValue === undefined
        ? { observedUnit: 'ms' }
        : {}),
    status: result.status,
    time,
    ...(result.output === undefined ? {} : { output: clip(result.output) }),
  }
  if (entry.status === 'pass' && check.warnAboveMs !== undefined && elapsedMs > check.warnAboveMs) {
    entry.status = 'warn'
    entry.output = `response time ${elapsedMs} ms is above ${check.warnAboveMs} ms`
  }
  return entry
}

async function invoke(check: NormalizedCheck, signal: AbortSignal, now: () => number): Promise<Settled> {
  try {
    return { ok: true, result: await check.run({ signal, now }) }
  } catch (error) {
    return { ok: false, error }
  }
}

function isCheckResult(value: unknown): value is CheckResult {
  if (typeof value !== 'object' || value === null) return false
  const { status, observedValue, observedUnit, output } = value as Record<string, unknown>
  return (
    STATUSES.has(status) &&
    (observedValue === undefined || ['number', 'string', 'boolean'].includes(typeof observedValue)) &&
    (observedUnit === undefined || typeof observedUnit === 'string') &&
    (output === undefined || typeof output === 'string')
  )
}

/** The first line of the error's message, clipped: never a stack trace. */
function errorOutput(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : ''
  return clip(message.split('\n', 1)[0]!.trim() || 'check failed')
}

/** Without URL credentials or queries (drivers echo connection strings), clipped to MAX_OUTPUT_LENGTH. */
function clip(output: string): string {
  // Bounded before the expressions run, so that a huge message costs no more than a short one.
  const text = output
    .slice(0, MAX_OUTPUT_LENGTH * 5)
    .replace(URL_USERINFO, '$1')
    .replace(URL_QUERY, '$1')
  return text.length > MAX_OUTPUT_LENGTH ? `${text.slice(0, MAX_OUTPUT_LENGTH - 1)}…` : text
}
