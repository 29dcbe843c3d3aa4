import { type SecurityEvent, type SecurityEventType, subscribeSecurityEvents } from '@lift/security-core'
import { type InvocationState, invocationStore } from './invocation'
import { sharedState } from './shared-state'

/** One audit record per security decision, as written to the log (with `audit: true`). */
export interface AuditRecord {
  audit: true
  type: SecurityEventType
  decision: 'allow' | 'deny'
  reason: string
  requestId?: string
  awsRequestId?: string
  correlationId?: string
  principalId?: string
  tenantId?: string
  route?: string
  at: string
  detail?: Readonly<Record<string, unknown>>
}

/** Where audit records go: a log function (Powertools Logger `info`, by default); it redacts `detail`. */
export interface AuditSink {
  write(record: AuditRecord): void
}

/**
 * The metric counted for each denied decision, per event type. A `health` denial whose reason is not the
 * report's `fail` (e.g. 'invalid-health-token': a wrong details secret) is a refused credential and counts
 * as `AuthFailures`, so that guessing the health secret does not page as an outage.
 */
export const DENIAL_METRICS: Readonly<Record<SecurityEventType, string>> = Object.freeze({
  'authn.jwt': 'AuthFailures',
  authz: 'AuthzDenied',
  signature: 'SignatureFailures',
  ratelimit: 'RateLimited',
  health: 'HealthCheckFailures',
})

/**
 * Subscribes to `lift:security` once per process (every copy of this module shares the subscription),
 * however many observability() instances are made. Each event is attributed to the invocation it was
 * published in: it names the caller on that invocation's log lines (an authentication allow) and, with
 * audit on, becomes one record in that invocation's sink. `sink` (an audit-enabled instance) also receives
 * the events published outside any invocation.
 */
export function listenToSecurityEvents(sink: AuditSink | undefined): void {
  const shared = sharedState()
  if (sink !== undefined) shared.containerSink = sink
  shared.unsubscribe ??= subscribeSecurityEvents(onSecurityEvent)
}

/** For tests: drops the subscription, as a fresh container would have none. */
export function stopListening(): void {
  const shared = sharedState()
  shared.unsubscribe?.()
  shared.unsubscribe = undefined
  shared.containerSink = undefined
}

function onSecurityEvent(event: SecurityEvent): void {
  const current = invocationStore().getStore()
  const state = current?.ended ? undefined : current
  if (state !== undefined) {
    const authenticated = event.type === 'authn.jwt' || event.type === 'signature'
    if (authenticated && event.outcome === 'allow') state.onPrincipal(event.principalId, event.tenantId)
    if (state.audit !== undefined && state.countDenials && event.outcome === 'deny') {
      const metric = denialMetric(event)
      state.auditCounts.set(metric, (state.auditCounts.get(metric) ?? 0) + 1)
    }
  }
  const sink = state === undefined ? sharedState().containerSink : state.audit
  sink?.write(auditRecord(event, state))
}

function denialMetric(event: SecurityEvent): string {
  if (event.type === 'health' && event.reason !== 'fail') return DENIAL_METRICS['authn.jwt']
  return DENIAL_METRICS[event.type]
}

function auditRecord(event: SecurityEvent, state: InvocationState | undefined): AuditRecord {
  const record: AuditRecord = {
    audit: true,
    type: event.type,
    decision: event.outcome,
    reason: event.reason,
    at: new Date(event.at).toISOString(),
  }
  const requestId = event.requestId ?? state?.requestId
  if (requestId !== undefined) record.requestId = requestId
  if (state?.awsRequestId !== undefined) record.awsRequestId = state.awsRequestId
  if (state !== undefined) {
    record.correlationId = state.correlationId
    record.route = state.route
  }
  if (event.principalId !== undefined) record.principalId = event.principalId
  if (event.tenantId !== undefined) record.tenantId = event.tenantId
  if (event.detail !== undefined) record.detail = event.detail
  return record
}
