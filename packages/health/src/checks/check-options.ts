import type { HealthCheckDefinition } from '../check-definition'

/**
 * Settings every built-in check accepts, passed through to its definition.
 * @example
 * ```ts
 * import { httpCheck } from '@lift/health'
 *
 * httpCheck({ url: 'https://payments.example.com/health', name: 'payments:responseTime', critical: false, timeoutMs: 500 })
 * ```
 */
export interface BuiltInCheckOptions {
  /** The report key; each built-in has a default. */
  name?: string
  critical?: boolean
  timeoutMs?: number
  warnAboveMs?: number
}

/** The common settings that were given, without undefined fields (normalizeChecks validates them). */
export function commonSettings(options: BuiltInCheckOptions): Partial<HealthCheckDefinition> {
  const settings: Partial<HealthCheckDefinition> = {}
  if (options.critical !== undefined) settings.critical = options.critical
  if (options.timeoutMs !== undefined) settings.timeoutMs = options.timeoutMs
  if (options.warnAboveMs !== undefined) settings.warnAboveMs = options.warnAboveMs
  return settings
}

export function assertOptionsObject(options: unknown, owner: string): void {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${owner}: options must be an object`)
}

export function errorName(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name
  return typeof name === 'string' && /^[A-Za-z][\w.]{0,63}$/.test(name) ? name : 'Error'
}
