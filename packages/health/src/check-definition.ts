import type { HealthStatus } from './health-report'

/** What a check returns. Without `observedValue` the check's duration is reported (in ms). */
export interface CheckResult {
  status: HealthStatus
  observedValue?: number | string | boolean
  observedUnit?: string
  output?: string
}

/** Given to every check: `signal` aborts at the check's deadline (pass it to fetch / the AWS SDK). */
export interface CheckContext {
  readonly signal: AbortSignal
  readonly now: () => number
}

/** Any (async) function returning a CheckResult is a check. A throw is a `fail`. */
export type CheckFunction = (context: CheckContext) => Promise<CheckResult> | CheckResult

/**
 * A dependency check of `healthCheck()` / `runHealthChecks()`: the function that checks, and how it is reported.
 * @example
 * ```ts
 * import type { HealthCheckDefinition } from '@lift/health'
 *
 * const ordersApi: HealthCheckDefinition = {
 *   componentType: 'component',
 *   critical: false,
 *   check: async () => ({ status: (await fetch('https://orders.internal/ping')).ok ? 'pass' : 'fail' }),
 * }
 * ```
 */
export interface HealthCheckDefinition {
  /** The report key, `component:measurement` (e.g. `orders-table:responseTime`). Record keys override it. */
  name?: string
  check: CheckFunction
  /** The draft's componentType: `datastore`, `system`, `component`, or a URI. */
  componentType?: string
  componentId?: string
  /** A failure of a non-critical check makes the report `warn`, not `fail`. Default true. */
  critical?: boolean
  /** This check's deadline; default the middleware's `timeoutMs`. */
  timeoutMs?: number
  /** A pass that took longer than this becomes a `warn`. */
  warnAboveMs?: number
}

/** Checks by report key (a definition or a bare function), or an array of definitions with a `name`. */
export type HealthChecks =
  | Readonly<Record<string, HealthCheckDefinition | CheckFunction>>
  | readonly HealthCheckDefinition[]

export interface NormalizedCheck {
  readonly key: string
  readonly run: CheckFunction
  readonly componentType: string | undefined
  readonly componentId: string | undefined
  readonly critical: boolean
  readonly timeoutMs: number
  readonly warnAboveMs: number | undefined
}

const DEFINITION_FIELDS = new Set([
  'name',
  'check',
  'componentType',
  'componentId',
  'critical',
  'timeoutMs',
  'warnAboveMs',
])

/** Validates the checks once and gives each its key and settings; throws a TypeError naming the problem. */
export function normalizeChecks(
  checks: HealthChecks | undefined,
  defaultTimeoutMs: number,
  owner: string,
): readonly NormalizedCheck[] {
  if (checks === undefined) return []
  if (typeof checks !== 'object' || checks === null)
    throw new TypeError(`${owner}: checks must be an object or an array of check definitions`)
  const entries: [string | undefined, unknown][] = Array.isArray(checks)
    ? checks.map((definition) => [undefined, definition])
    : Object.entries(checks)
  const seen = new Set<string>()
  return Object.freeze(
    entries.map(([recordKey, value]) => {
      const check = normalizeOne(recordKey, value, defaultTimeoutMs, owner)
      if (seen.has(check.key)) throw new TypeError(`${owner}: two checks are named "${check.key}"`)
      seen.add(check.key)
      return check
    }),
  )
}

function normalizeOne(
  recordKey: string | undefined,
  value: unknown,
  defaultTimeoutMs: number,
  owner: string,
): NormalizedCheck {
  const definition: HealthCheckDefinition =
    typeof value === 'function' ? { check: value as CheckFunction } : (value as HealthCheckDefinition)
  if (typeof definition !== 'object' || definition === null)
    throw new TypeError(`${owner}: a check must be a function or a definition object`)
  const label = recordKey ?? definition.name ?? '(unnamed)'
  for (const field of Object.keys(definition)) {
    if (!DEFINITION_FIELDS.has(field))
      throw new TypeError(`${owner}: check "${label}" has unknown field "${field}"`)
  }
  const key = recordKey ?? definition.name
  if (typeof key !== 'string' || key === '')
    throw new TypeError(`${owner}: every check in an array needs a name ('component:measurement')`)
  if (typeof definition.check !== 'function')
    throw new TypeError(`${owner}: check "${key}" must have a check function`)
  for (const field of ['componentType', 'componentId'] as const) {
    const fieldValue = definition[field]
    if (fieldValue !== undefined && typeof fieldValue !== 'string')
      throw new TypeError(`${owner}: check "${key}" ${field} must be a string`)
  }
  if (definition.critical !== undefined && typeof definition.critical !== 'boolean')
    throw new TypeError(`${owner}: check "${key}" critical must be a boolean`)
  return Object.freeze({
    key,
    run: definition.check,
    componentType: definition.componentType,
    componentId: definition.componentId,
    critical: definition.critical ?? true,
    timeoutMs: milliseconds(`check "${key}" timeoutMs`, definition.timeoutMs ?? defaultTimeoutMs, owner),
    warnAboveMs:
      definition.warnAboveMs === undefined
        ? undefined
        : milliseconds(`check "${key}" warnAboveMs`, definition.warnAboveMs, owner),
  })
}

/** A finite number of milliseconds >= 0, or a TypeError naming the option. */
export function milliseconds(name: string, value: unknown, owner: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new TypeError(`${owner}: ${name} must be a number of milliseconds >= 0`)
  return value
}
