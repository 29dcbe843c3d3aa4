import { getHeapStatistics } from 'node:v8'
import type { HealthCheckDefinition } from '../check-definition'
import { assertOptionsObject, type BuiltInCheckOptions, commonSettings } from './check-options'

/**
 * Options of `memoryCheck()`: the heap shares at which it warns and fails.
 * @example
 * ```ts
 * import { memoryCheck } from '@lift/health'
 *
 * memoryCheck({ warnHeapRatio: 0.75, maxHeapRatio: 0.9 })
 * ```
 */
export interface MemoryCheckOptions extends Omit<BuiltInCheckOptions, 'warnAboveMs'> {
  /** Fail above this share of the V8 heap limit (0..1). Default 0.9. */
  maxHeapRatio?: number
  /** Warn above this share. Default: no warning level. */
  warnHeapRatio?: number
}

/**
 * Heap in use (process.memoryUsage().heapUsed) against the V8 heap limit, reported as a percentage.
 * Key `memory:utilization` unless `name` is given.
 * @example
 * ```ts
 * import { healthCheck, memoryCheck } from '@lift/health'
 *
 * healthCheck({ checks: [memoryCheck()] })
 * ```
 */
export function memoryCheck(options: MemoryCheckOptions = {}): HealthCheckDefinition {
  assertOptionsObject(options, 'memoryCheck')
  const maxHeapRatio = ratio('maxHeapRatio', options.maxHeapRatio ?? 0.9)
  const warnHeapRatio =
    options.warnHeapRatio === undefined ? undefined : ratio('warnHeapRatio', options.warnHeapRatio)
  if (warnHeapRatio !== undefined && warnHeapRatio > maxHeapRatio)
    throw new TypeError('memoryCheck: warnHeapRatio must not be above maxHeapRatio')
  return {
    name: options.name ?? 'memory:utilization',
    componentType: 'system',
    ...commonSettings(options),
    check: () => {
      const used = process.memoryUsage().heapUsed / getHeapStatistics().heap_size_limit
      const observed = { observedValue: Math.round(used * 1000) / 10, observedUnit: 'percent' }
      if (used > maxHeapRatio)
        return { status: 'fail', ...observed, output: `heap above ${percent(maxHeapRatio)} of its limit` }
      if (warnHeapRatio !== undefined && used > warnHeapRatio)
        return { status: 'warn', ...observed, output: `heap above ${percent(warnHeapRatio)} of its limit` }
      return { status: 'pass', ...observed }
    },
  }
}

function ratio(name: string, value: unknown): number {
  if (typeof value !== 'number' || !(value > 0 && value <= 1))
    throw new TypeError(`memoryCheck: ${name} must be a number above 0 and at most 1`)
  return value
}

function percent(value: number): string {
  return `${Math.round(value * 1000) / 10}%`
}
