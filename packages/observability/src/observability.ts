import { Logger } from '@aws-lambda-powertools/logger'
import type { Metrics } from '@aws-lambda-powertools/metrics'
import {
  createObjectSlot,
  getPrincipal,
  type HttpRequestView,
  httpRequestView,
  isHttpEvent,
} from '@lift/security-core'
import type { MiddlewareObj, Request } from '@middy/core'
import { type AuditRecord, type AuditSink, listenToSecurityEvents } from './audit'
import { correlationIdOf } from './correlation-id'
import { logFailure, renderBodilessServerError } from './failure'
import { type InvocationState, invocationStore } from './invocation'
import { bindToInvocations } from './invocation-logger'
import { loggedEvent } from './logged-event'
import { COUNT, loadMetrics, MILLISECONDS } from './metrics-loader'
import { type ObservabilityOptions, type ResolvedOptions, resolveOptions } from './options'
import { createRedactor, type Redactor } from './redact'
import { dimensionValue, eventSourceRoute, httpRoute, OTHER } from './route'
import {
  type InvocationTrace,
  isLiftTracer,
  isPowertoolsTracer,
  type LiftTracer,
  type Outcome,
  powertoolsTracer,
} from './tracing'

/** The `request.internal` key of the cleanup that early answers (healthCheck) run; see respondEarly. */
export const CLEANUP_KEY = 'lift.observability'

interface Invocation {
  /** The first error of the invocation, before an error handler replaced it with a generic one. */
  firstError?: unknown
  readonly state: InvocationState
  readonly startedAt: number
  readonly view: HttpRequestView | undefined
  readonly trace: InvocationTrace
  finished: boolean
}

/**
 * Middy middleware for logs, metrics, traces and audit records on Powertools. Put it first (outermost): it
 * sees every result and error. Per invocation: Lambda context, cold start, correlation id and route on every
 * log line (principal and tenant once known); one EMF blob with Latency, Requests and Errors by route and
 * status class; one error log for a failed invocation; a trace span; with `audit`, one record per security
 * decision.
 * @example
 * ```ts
 * import { cognito, jwtAuth } from '@lift/auth-jwt'
 * import { observability } from '@lift/observability'
 * import middy from '@middy/core'
 * import httpErrorHandler from '@middy/http-error-handler'
 *
 * const issuers = [cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' })]
 * export const main = middy()
 *   .use(observability({ serviceName: 'orders-api', audit: true, tracer: true }))
 *   .use(httpErrorHandler())
 *   .use(jwtAuth({ issuers }))
 *   .handler(async () => ({ statusCode: 200, body: 'ok' }))
 * ```
 */
export function observability(options: ObservabilityOptions = {}): MiddlewareObj {
  const settings = resolveOptions(options)
  const serviceName = options.serviceName
  const logger = options.logger ?? new Logger(serviceName ? { serviceName } : {})
  const boundLogger = bindToInvocations(logger)
  const countDenials = settings.audit !== undefined && settings.audit.metrics !== false
  const needsMetrics = Boolean(settings.requestMetrics) || countDenials
  let metrics = needsMetrics ? options.metrics : undefined
  const metricsLoading = needsMetrics && !metrics ? loadMetrics(serviceName) : undefined
  const redactor = createRedactor(settings.redact)
  const audit = settings.audit
    ? redactedSink(
        redactor,
        settings.audit.write ?? logWriter(bindAudit(settings.audit.logger) ?? auditLogger(logger)),
      )
    : undefined
  // Also without audit: an authentication allow is what names the caller on the handler's log lines.
  listenToSecurityEvents(audit)
  const tracer = tracerOf(options.tracer ?? false, serviceName)
  // A failed import (tracer: true without the package) is reported by the first invocation, not as an
  // unhandled rejection at construction.
  tracer.catch(() => {})
  const tenants = new Set<string>()
  const invocationsByRequest = createObjectSlot<Invocation>()
  let coldStart = true

  const before = async (request: Request): Promise<void> => {
    const startedAt = settings.now()
    const view = isHttpEvent(request.event) ? httpRequestView(request.event) : undefined
    const correlation = correlationIdOf(view, settings.correlationHeaders, settings.correlationIdMaxLength)
    const route = view ? httpRoute(view) : eventSourceRoute(request.event)
    const context = request.context as { awsRequestId?: string }
    const logKeys: Record<string, string> = { correlation_id: correlation.id, route }
    const state: InvocationState = {
      awsRequestId: context.awsRequestId,
      requestId: view?.requestId ?? context.awsRequestId,
      correlationId: correlation.id,
      route,
      logKeys,
      lambdaContext: request.context,
      coldStart: boundLogger.coldStart(),
      audit,
      auditCounts: new Map(),
      countDenials,
      onPrincipal: (principalId, tenantId) => Object.assign(logKeys, principalKeys(principalId, tenantId)),
      ended: false,
    }
    // The store must be entered before any await, so Middy's following continuations inherit it.
    invocationStore().enterWith(state)
    boundLogger.start()
    // Debug sampling is decided per invocation, as Powertools' injectLambdaContext does.
    logger.refreshSampleRateCalculation()
    if (settings.logEvent) logger.info('event', { event: redactor.value(loggedEvent(request.event)) })
    if (metricsLoading && !metrics) metrics = await metricsLoading
    if (coldStart && metrics) metrics.captureColdStartMetric()
    const liftTracer = await tracer
    const trace = liftTracer?.startInvocation({ route, coldStart }) ?? NO_TRACE
    trace.annotate('route', route)
    state.trace = trace
    coldStart = false
    const invocation: Invocation = { state, startedAt, view, trace, finished: false }
    invocationsByRequest.set(request, invocation)
    keepFirstError(request, invocation)
    ;(request.internal as Record<string, unknown>)[CLEANUP_KEY] = (r: Request) => finish(r, invocation)
  }

  const finish = (request: Request, invocation: Invocation): void => {
    if (invocation.finished) return
    invocation.finished = true
    const statusCode = statusOf(request)
    const outcome = outcomeOf(statusCode, request.error, request.response)
    const principal = getPrincipal(request)
    if (principal) Object.assign(invocation.state.logKeys, principalKeys(principal.id, principal.tenantId))
    if (invocation.view && outcome === 'server_error') renderBodilessServerError(request)
    if (invocation.view)
      setCorrelationHeader(request, settings.correlationHeaders[0]!, invocation.state.correlationId)
    if (outcome === 'server_error')
      logFailure(logger, redactor, invocation.firstError ?? request.error, statusCode, invocation.trace)
    if (principal?.tenantId) invocation.trace.annotate('tenant', principal.tenantId)
    if (principal) invocation.trace.annotate('principal', principal.id)
    invocation.trace.end(outcome)
    if (metrics) {
      const statusClass = invocation.view
        ? statusClassOf(statusCode)
        : outcome === 'server_error'
          ? 'error'
          : 'ok'
      try {
        publishMetrics(metrics, settings, tenants, invocation, statusClass, outcome, principal?.tenantId)
      } catch (error) {
        // e.g. the handler added `Latency` in another unit: Powertools throws, the answer must stand.
        logger.warn('request metrics not published', { error: redactor.value(error) })
        flushStoredMetrics(metrics)
      }
    }
    invocation.state.ended = true
    boundLogger.end()
  }

  const after = (request: Request): void => {
    const invocation = invocationsByRequest.get(request)
    if (invocation) finish(request, invocation)
  }

  return { before, after, onError: after }
}

export default observability

const NO_TRACE: InvocationTrace = Object.freeze({ annotate() {}, error() {}, end() {} })

/**
 * @middy/http-error-handler replaces an unexposed error by a generic `{ statusCode: 500 }` before this
 * (outermost) middleware's onError runs; an accessor on `request.error` keeps the original for the error log.
 */
function keepFirstError(request: Request, invocation: Invocation): void {
  let current: unknown = request.error
  Object.defineProperty(request, 'error', {
    configurable: true,
    enumerable: true,
    get: () => current,
    set: (error: unknown) => {
      if (invocation.firstError === undefined && error !== undefined && error !== null)
        invocation.firstError = error
      current = error
    },
  })
}

function principalKeys(principalId: string | undefined, tenantId: string | undefined) {
  return { ...(principalId ? { principal_id: principalId } : {}), ...(tenantId ? { tenant: tenantId } : {}) }
}

function statusOf(request: Request): number | undefined {
  const response = request.response as { statusCode?: unknown } | undefined
  if (typeof response?.statusCode === 'number') return response.statusCode
  if (request.error !== undefined && request.error !== null) return 500
  return response === undefined ? undefined : 200
}

function outcomeOf(statusCode: number | undefined, error: unknown, response: unknown): Outcome {
  if (statusCode === undefined) return error ? 'server_error' : 'success'
  if (statusCode >= 500 || (error && response === undefined)) return 'server_error'
  return statusCode >= 400 ? 'client_error' : 'success'
}

function statusClassOf(statusCode: number | undefined): string {
  return statusCode === undefined ? OTHER : `${Math.floor(statusCode / 100)}xx`
}

function setCorrelationHeader(request: Request, header: string, id: string): void {
  const response = request.response as { headers?: Record<string, unknown> } | undefined
  if (typeof response !== 'object' || response === null) return
  response.headers = { ...response.headers, [header]: id }
}

function publishMetrics(
  metrics: Metrics,
  settings: ResolvedOptions,
  tenants: Set<string>,
  invocation: Invocation,
  statusClass: string,
  outcome: Outcome,
  tenantId: string | undefined,
): void {
  // Denials by `service` only: a single-metric blob each (a single metric publishes as it is added).
  for (const [name, count] of invocation.state.auditCounts)
    metrics.singleMetric().addMetric(name, COUNT, count)
  if (!settings.requestMetrics) return
  metrics.addDimensions({ route: dimensionValue(invocation.state.route), statusClass })
  const maxTenants = settings.requestMetrics.tenantDimension?.maxTenants
  if (maxTenants !== undefined) metrics.addDimension('tenant', boundedTenant(tenants, tenantId, maxTenants))
  metrics.addMetric('Latency', MILLISECONDS, Math.max(0, settings.now() - invocation.startedAt))
  metrics.addMetric('Requests', COUNT, 1)
  metrics.addMetric('Errors', COUNT, outcome === 'server_error' ? 1 : 0)
  metrics.publishStoredMetrics()
}

/** Publishes what the handler stored, or drops it, so that it is not published with the next invocation. */
function flushStoredMetrics(metrics: Metrics): void {
  try {
    metrics.publishStoredMetrics()
  } catch {
    metrics.clearMetrics()
    metrics.clearDimensions()
  }
}

function boundedTenant(tenants: Set<string>, tenantId: string | undefined, maxTenants: number): string {
  if (tenantId === undefined) return 'none'
  if (dimensionValue(tenantId) === OTHER) return OTHER
  if (tenants.has(tenantId)) return tenantId
  if (tenants.size >= maxTenants) return OTHER
  tenants.add(tenantId)
  return tenantId
}

function bindAudit(logger: Logger | undefined): Logger | undefined {
  if (logger !== undefined) bindToInvocations(logger)
  return logger
}

function auditLogger(logger: Logger): Logger {
  // Audit records are kept whatever the application's log level (see auditLevel for Lambda's).
  return logger.createChild({ logLevel: 'INFO' })
}

function logWriter(logger: Logger): (record: AuditRecord) => void {
  const level = auditLevel(process.env.AWS_LAMBDA_LOG_LEVEL)
  return (record) => logger[level](`audit ${record.type} ${record.decision}`, { ...record })
}

/**
 * INFO, or the minimum level of Lambda's log-level filtering (AWS_LAMBDA_LOG_LEVEL) when it is higher:
 * Lambda drops every line below it, and Powertools loggers follow it whatever level they were given.
 */
function auditLevel(lambdaLogLevel: string | undefined): 'info' | 'warn' | 'error' | 'critical' {
  switch (lambdaLogLevel?.toUpperCase()) {
    case 'WARN':
      return 'warn'
    case 'ERROR':
      return 'error'
    case 'FATAL':
      return 'critical'
    default:
      return 'info'
  }
}

function redactedSink(redactor: Redactor, write: (record: AuditRecord) => void): AuditSink {
  return {
    write: (record) =>
      write(
        record.detail === undefined
          ? record
          : { ...record, detail: redactor.value(record.detail) as Record<string, unknown> },
      ),
  }
}

async function tracerOf(
  option: ObservabilityOptions['tracer'],
  serviceName: string | undefined,
): Promise<LiftTracer | undefined> {
  if (option === false) return undefined
  if (isLiftTracer(option)) return option
  if (isPowertoolsTracer(option)) return powertoolsTracer(option)
  const { Tracer } = await import('@aws-lambda-powertools/tracer').catch((cause: unknown) => {
    throw new Error('observability: tracer: true needs @aws-lambda-powertools/tracer installed', { cause })
  })
  return powertoolsTracer(new Tracer(serviceName ? { serviceName } : {}) as never)
}
