import type { HttpRequestView } from '@lift/security-core'
import { type HealthChecks, milliseconds, type NormalizedCheck, normalizeChecks } from './check-definition'
import type { AnonymousLevel } from './report-views'
import { MAX_TIMER_MS, type ServiceInfo } from './run-checks'

/**
 * Given to a details function with each request: `deny(reason)` records the request as a refused detail
 * access (a presented but wrong credential), which `healthCheck()` publishes as one `health` event with
 * outcome `deny` and that reason instead of an allow. A function that only returns `false` refuses quietly
 * (the caller presented nothing). After `deny()` the request gets no details, whatever the function returns.
 * @example
 * ```ts
 * const details: DetailsPolicy = (view, decision) => {
 *   const presented = view.header('x-ops-key')
 *   if (presented === undefined) return false
 *   if (timingSafeEqual(presented, opsKey)) return true
 *   decision.deny('invalid-ops-key')
 *   return false
 * }
 * ```
 */
export interface DetailsDecision {
  /** `reason`: a short machine-readable word ('invalid-health-token'); anything else is recorded as 'details-denied'. */
  deny(reason: string): void
}

/** Decides whether a request may see the full report (outputs, observed values, version). */
export type DetailsPolicy =
  | boolean
  | ((view: HttpRequestView, decision: DetailsDecision) => boolean | Promise<boolean>)

/** The paths `healthCheck()` answers: liveness, readiness and the full report; `false` turns one off. */
export interface HealthPaths {
  /** Liveness: answers `pass` without running any check. `false` disables the path. */
  live?: string | false
  /** Readiness: runs the checks, answers at the anonymous level, never with details (for probes). */
  ready?: string | false
  /** Full health: runs the checks, answers the report at the caller's level of detail. */
  health?: string | false
}

/**
 * Options of `healthCheck()`: its paths, the dependency checks, their deadlines and cache, and who sees details.
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { dynamoDbCheck, healthCheck } from '@lift/health'
 *
 * const client = new DynamoDBClient({})
 * healthCheck({
 *   serviceId: 'orders-api',
 *   paths: { live: '/health/live', ready: '/health/ready', health: '/health' },
 *   checks: { orders: dynamoDbCheck({ client, tableName: 'orders' }) },
 *   timeoutMs: 500,
 *   cacheTtlMs: 5000,
 * })
 * ```
 */
export interface HealthCheckOptions {
  paths?: HealthPaths
  /** The dependency checks (run in parallel, each bounded by its timeout). Default none. */
  checks?: HealthChecks
  /** Default timeout of each check. Default 1000. */
  timeoutMs?: number
  /** Deadline of a whole run. Default 3000. */
  reportTimeoutMs?: number
  /** A run also ends this long before the Lambda's remaining time runs out. Default 500. */
  safetyMarginMs?: number
  /**
   * How long a report answers later requests without running the checks again. Default 5000. Only a report
   * whose checks had their whole timeout is kept: one cut short by the invocation's remaining time (less than
   * the timeouts plus safetyMarginMs) answers its own request only.
   */
  cacheTtlMs?: number
  /**
   * Who sees the full report: a function of the request (e.g. detailsWhenHeader()). Default false. A function
   * that calls `decision.deny(reason)` (detailsWhenHeader() on a wrong secret) makes the request a denial. One
   * that has not decided within `timeoutMs` (a secret store that hangs) grants nothing.
   */
  details?: DetailsPolicy
  /** What everyone else sees: 'status' (default) or 'checks' (the status of each check too). */
  anonymous?: AnonymousLevel
  serviceId?: string
  version?: string
  releaseId?: string
  description?: string
  /** Clock in epoch milliseconds. Default Date.now. */
  now?: () => number
}

/**
 * Defaults of `healthCheck()`: its three paths, 1 s per check, 3 s per run, reports cached 5 s, status only.
 */
export const healthCheckDefaults = Object.freeze({
  paths: Object.freeze({ live: '/health/live', ready: '/health/ready', health: '/health' }),
  timeoutMs: 1000,
  reportTimeoutMs: 3000,
  safetyMarginMs: 500,
  cacheTtlMs: 5000,
  anonymous: 'status' as AnonymousLevel,
})

export type HealthPathKind = 'live' | 'ready' | 'health'

export interface ResolvedHealthOptions {
  paths: ReadonlyMap<string, HealthPathKind>
  checks: readonly NormalizedCheck[]
  reportTimeoutMs: number
  safetyMarginMs: number
  cacheTtlMs: number
  details: Exclude<DetailsPolicy, boolean>
  /** A details policy that has not decided by then grants nothing: the `timeoutMs` of the checks. */
  detailsTimeoutMs: number
  anonymous: AnonymousLevel
  service: ServiceInfo
  now: () => number
}

const OWNER = 'healthCheck'
const OPTION_NAMES = new Set([
  'paths',
  'checks',
  'timeoutMs',
  'reportTimeoutMs',
  'safetyMarginMs',
  'cacheTtlMs',
  'details',
  'anonymous',
  'serviceId',
  'version',
  'releaseId',
  'description',
  'now',
])

export function resolveHealthOptions(options: HealthCheckOptions): ResolvedHealthOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object')
  for (const name of Object.keys(options)) if (!OPTION_NAMES.has(name)) fail(`unknown option "${name}"`)
  const d = healthCheckDefaults
  const timeoutMs = milliseconds('timeoutMs', options.timeoutMs ?? d.timeoutMs, OWNER)
  const anonymous = options.anonymous ?? d.anonymous
  if (anonymous !== 'status' && anonymous !== 'checks') fail(`anonymous must be 'status' or 'checks'`)
  if (options.now !== undefined && typeof options.now !== 'function') fail('now must be a function')
  return {
    paths: resolvePaths(options.paths),
    checks: normalizeChecks(options.checks, timeoutMs, OWNER),
    reportTimeoutMs: milliseconds('reportTimeoutMs', options.reportTimeoutMs ?? d.reportTimeoutMs, OWNER),
    safetyMarginMs: milliseconds('safetyMarginMs', options.safetyMarginMs ?? d.safetyMarginMs, OWNER),
    cacheTtlMs: milliseconds('cacheTtlMs', options.cacheTtlMs ?? d.cacheTtlMs, OWNER),
    details: resolveDetails(options.details),
    detailsTimeoutMs: Math.min(timeoutMs, MAX_TIMER_MS),
    anonymous,
    service: resolveServiceInfo(options, OWNER),
    now: options.now ?? Date.now,
  }
}

/** version, releaseId, serviceId and description: optional non-empty strings. */
export function resolveServiceInfo(options: ServiceInfo, owner: string): ServiceInfo {
  const service: ServiceInfo = {}
  for (const name of ['version', 'releaseId', 'serviceId', 'description'] as const) {
    const value = options[name]
    if (value === undefined) continue
    if (typeof value !== 'string' || value === '')
      throw new TypeError(`${owner}: ${name} must be a non-empty string`)
    service[name] = value
  }
  return service
}

function resolvePaths(paths: HealthPaths | undefined): ReadonlyMap<string, HealthPathKind> {
  if (paths !== undefined && (typeof paths !== 'object' || paths === null)) fail('paths must be an object')
  const merged = { ...healthCheckDefaults.paths, ...paths }
  const resolved = new Map<string, HealthPathKind>()
  for (const kind of Object.keys(merged) as HealthPathKind[]) {
    if (!(kind in healthCheckDefaults.paths)) fail(`paths has unknown key "${kind}"`)
    const path = merged[kind]
    if (path === false) continue
    if (typeof path !== 'string' || !/^\/[^?#\s]*$/.test(path))
      fail(`paths.${kind} must be a path starting with '/' (or false to disable it)`)
    const normalized = withoutTrailingSlash(path)
    if (resolved.has(normalized)) fail(`paths.${kind} repeats the path "${path}"`)
    resolved.set(normalized, kind)
  }
  return resolved
}

function resolveDetails(details: DetailsPolicy | undefined): ResolvedHealthOptions['details'] {
  if (details === undefined || details === false) return () => false
  if (details === true) return () => true
  if (typeof details !== 'function') fail('details must be a boolean or a function of the request')
  return details
}

/** '/health/' and '/health' are one path; '/' stays '/'. */
export function withoutTrailingSlash(path: string): string {
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
}

function fail(message: string): never {
  throw new TypeError(`${OWNER}: ${message}`)
}
