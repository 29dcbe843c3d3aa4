import type { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit]

/** The MetricUnit values the middleware publishes, so that importing this package does not load Powertools Metrics. */
export const COUNT: Unit = 'Count'
export const MILLISECONDS: Unit = 'Milliseconds'

/**
 * A Powertools Metrics made from POWERTOOLS_* (and `serviceName`), its module imported now rather than when
 * this package is imported: a configuration without metrics never loads it, and one with metrics starts the
 * import at construction, during the function's init. A failed import or constructor is reported by the first
 * invocation, as for the tracer, not as an unhandled rejection at construction.
 */
export function loadMetrics(serviceName: string | undefined): Promise<Metrics> {
  const loading = import('@aws-lambda-powertools/metrics').then(
    ({ Metrics }) => new Metrics(serviceName ? { serviceName } : {}),
  )
  loading.catch(() => {})
  return loading
}
