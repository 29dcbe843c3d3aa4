import type { HttpRequestView } from '@lift/security-core'

/** `OTHER` folds unknown routes, sources and tenants so that metric dimensions stay bounded. */
export const OTHER = 'other'

/**
 * `value` as a metric dimension value, or `other` when CloudWatch would refuse it (API_Dimension: 1 to 1,024
 * characters, ASCII without control characters, not only whitespace): a tenant claim or an EventBridge
 * detail-type can be anything, and one refused value loses the invocation's whole EMF blob.
 */
export function dimensionValue(value: string): string {
  return value.length <= 1024 && /^[\x20-\x7e]+$/.test(value) && value.trim() !== '' ? value : OTHER
}

/**
 * The route dimension of an HTTP request: the API Gateway route key (`GET /items/{id}`), never the raw
 * path, so one dimension value per route however many ids are requested. No route key (ALB, Function URL,
 * `$default`) folds into `other` unless `routes` maps it.
 */
export function httpRoute(view: HttpRequestView): string {
  const key = view.routeKey
  return key === undefined || key === '$default' ? OTHER : key
}

/** The route dimension of a non-HTTP invocation: its event source, e.g. `sqs:orders`, `events:OrderPlaced`. */
export function eventSourceRoute(event: unknown): string {
  if (typeof event !== 'object' || event === null) return OTHER
  const record = (event as { Records?: unknown[] }).Records?.[0] as Record<string, unknown> | undefined
  if (record !== undefined) {
    const source = String(record.eventSource ?? record.EventSource ?? '')
    const arn = String(record.eventSourceARN ?? record.EventSubscriptionArn ?? '')
    const name = arn.split(':').at(source === 'aws:sns' ? -2 : -1) ?? ''
    const service = source.replace(/^aws:/, '')
    return service ? `${service}:${name || OTHER}`.slice(0, 120) : OTHER
  }
  const detailType = (event as { 'detail-type'?: unknown })['detail-type']
  const source = (event as { source?: unknown }).source
  if (typeof detailType === 'string' && typeof source === 'string') {
    if (detailType === 'Scheduled Event') {
      const rule = String((event as { resources?: unknown[] }).resources?.[0] ?? '')
        .split('/')
        .at(-1)
      return `schedule:${rule || OTHER}`.slice(0, 120)
    }
    return `events:${detailType}`.slice(0, 120)
  }
  return OTHER
}
