import type { AsyncLocalStorage } from 'node:async_hooks'
import type { AuditSink } from './audit'
import { sharedState } from './shared-state'
import type { InvocationTrace } from './tracing'

/** What observability knows about the invocation in progress; security events are attributed through it. */
export interface InvocationState {
  readonly awsRequestId: string | undefined
  /** API Gateway's request id (or the Lambda request id for other sources). */
  readonly requestId: string | undefined
  readonly correlationId: string
  readonly route: string
  /** The keys on every log line of the invocation (correlation_id, route, then principal_id and tenant). */
  readonly logKeys: Record<string, string>
  /** The Lambda context of the invocation, for the logger's Lambda fields. */
  readonly lambdaContext: unknown
  /** Whether this is the container's cold start, as Powertools decides it (on-demand initialization only). */
  readonly coldStart: boolean
  readonly audit: AuditSink | undefined
  /** Security-decision counters of this invocation (`AuthFailures`…), published with its metrics. */
  readonly auditCounts: Map<string, number>
  /** Whether denials are counted (audit.metrics). */
  readonly countDenials: boolean
  /** Called when an authentication allow names the caller, so later log lines carry them. */
  readonly onPrincipal: (principalId: string | undefined, tenantId: string | undefined) => void
  /**
   * Set when the invocation has been answered. AsyncLocalStorage.enterWith also marks the caller's context,
   * so an event published there later (a timer, the next line of a test) must not be attributed to it.
   */
  ended: boolean
  /** The invocation's span, once the tracer has started it (captureAwsClient opens its children). */
  trace?: InvocationTrace
}

/**
 * The invocation each asynchronous continuation belongs to. diagnostics_channel publishes synchronously in
 * the publisher's context, so a security event published during an invocation is read back here and
 * attributed to that invocation, even when several interleave in one process (serveLocal, tests).
 */
export function invocationStore(): AsyncLocalStorage<InvocationState> {
  return sharedState().invocations
}
