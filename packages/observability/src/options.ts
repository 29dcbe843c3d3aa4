import type { Logger } from '@aws-lambda-powertools/logger'
import type { Metrics } from '@aws-lambda-powertools/metrics'
import type { AuditRecord } from './audit'
import type { LiftTracer, PowertoolsTracerLike } from './tracing'

/**
 * Where `observability({ audit })` writes one audit record per security decision, and whether denials are counted.
 * @example
 * ```ts
 * import { observability } from '@lift/observability'
 *
 * // e.g. to a SIEM forwarder; the record holds no token, key or body
 * observability({ audit: { write: (record) => process.stdout.write(`${JSON.stringify(record)}\n`), metrics: true } })
 * ```
 */
export interface AuditOptions {
  /** Where audit records are written; default a child of the logger that always logs at INFO. */
  logger?: Logger
  /** Receives each record instead of the logger (a SIEM forwarder, a terminal printer, a test). */
  write?: (record: AuditRecord) => void
  /** Counts denials as metrics (AuthFailures, RateLimited…). Default true. */
  metrics?: boolean
}

/**
 * The request metrics of `observability()`: whether they get a (bounded) tenant dimension.
 * @example
 * ```ts
 * import { observability } from '@lift/observability'
 *
 * observability({ requestMetrics: { tenantDimension: { maxTenants: 20 } } })
 * ```
 */
export interface RequestMetricsOptions {
  /** Adds a `tenant` dimension; at most `maxTenants` distinct values per container, the rest are `other`. */
  tenantDimension?: { maxTenants: number }
}

/**
 * Options of `observability()`: the Powertools logger, metrics and tracer, correlation ids, audit and redaction.
 * @example
 * ```ts
 * import { observability } from '@lift/observability'
 *
 * observability({
 *   serviceName: 'orders-api',
 *   correlationIdHeader: ['x-correlation-id'],
 *   audit: true,
 *   requestMetrics: { tenantDimension: { maxTenants: 50 } },
 *   redact: ['iban'],
 * })
 * ```
 */
export interface ObservabilityOptions {
  /** A Powertools Logger; default one made at construction from POWERTOOLS_* (service name, log level). */
  logger?: Logger
  /** A Powertools Metrics; default one made at construction from POWERTOOLS_* (namespace, service name). */
  metrics?: Metrics
  /**
   * A Powertools Tracer (X-Ray), a LiftTracer (e.g. openTelemetryTracer() from '@lift/observability/otel'),
   * `true` for a Powertools Tracer made from POWERTOOLS_* (imported on first use), or `false` (default).
   */
  tracer?: PowertoolsTracerLike | LiftTracer | boolean
  /** Service name for the logger, metrics and tracer Lift makes (default POWERTOOLS_SERVICE_NAME). */
  serviceName?: string
  /** Headers read for the correlation id, in order; the first one is also set on the response. */
  correlationIdHeader?: string | readonly string[]
  /** Longer (or unsafe) correlation ids are replaced by a generated one. Default 128. */
  correlationIdMaxLength?: number
  /** Writes one audit record per security decision on `lift:security`, and counts denials as metrics. */
  audit?: boolean | AuditOptions
  /** Latency, request and error metrics per invocation (default true). */
  requestMetrics?: boolean | RequestMetricsOptions
  /** Logs the incoming event once per invocation, redacted (default false). */
  logEvent?: boolean
  /** Extra field names redacted wherever they appear in what Lift logs (on top of Authorization, cookies…). */
  redact?: readonly string[]
  /** Clock for latency, in milliseconds (default performance.now). */
  now?: () => number
}

/**
 * Defaults of `observability()`: correlation id from `x-correlation-id` or `x-request-id` (128 chars at most), request metrics on, audit and tracing off.
 */
export const observabilityDefaults = Object.freeze({
  correlationIdHeader: Object.freeze(['x-correlation-id', 'x-request-id']) as readonly string[],
  correlationIdMaxLength: 128,
  audit: false,
  requestMetrics: true,
  tracer: false,
})

const OPTION_NAMES = new Set([
  'logger',
  'metrics',
  'tracer',
  'serviceName',
  'correlationIdHeader',
  'correlationIdMaxLength',
  'audit',
  'requestMetrics',
  'redact',
  'logEvent',
  'now',
])

export interface ResolvedOptions {
  correlationHeaders: readonly string[]
  correlationIdMaxLength: number
  audit: AuditOptions | undefined
  requestMetrics: RequestMetricsOptions | undefined
  redact: readonly string[]
  logEvent: boolean
  now: () => number
}

export function resolveOptions(options: ObservabilityOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object')
  for (const name of Object.keys(options)) if (!OPTION_NAMES.has(name)) fail(`unknown option "${name}"`)
  const d = observabilityDefaults
  const headers = options.correlationIdHeader ?? d.correlationIdHeader
  const correlationHeaders = typeof headers === 'string' ? [headers] : [...headers]
  if (correlationHeaders.length === 0 || !correlationHeaders.every((h) => /^[A-Za-z0-9-]+$/.test(h)))
    fail('correlationIdHeader must be a header name or a non-empty list of header names')
  const maxLength = options.correlationIdMaxLength ?? d.correlationIdMaxLength
  if (!Number.isInteger(maxLength) || maxLength < 8 || maxLength > 1024)
    fail('correlationIdMaxLength must be an integer from 8 to 1024')
  const audit = options.audit ?? d.audit
  if (typeof audit !== 'boolean' && (typeof audit !== 'object' || audit === null))
    fail('audit must be a boolean or { logger, write }')
  if (typeof audit === 'object' && audit.write !== undefined && typeof audit.write !== 'function')
    fail('audit.write must be a function')
  if (typeof audit === 'object' && audit.metrics !== undefined && typeof audit.metrics !== 'boolean')
    fail('audit.metrics must be a boolean')
  const requestMetrics = options.requestMetrics ?? d.requestMetrics
  if (typeof requestMetrics !== 'boolean' && (typeof requestMetrics !== 'object' || requestMetrics === null))
    fail('requestMetrics must be a boolean or { tenantDimension }')
  const maxTenants =
    typeof requestMetrics === 'object' ? requestMetrics.tenantDimension?.maxTenants : undefined
  if (maxTenants !== undefined && (!Number.isInteger(maxTenants) || maxTenants < 1))
    fail('requestMetrics.tenantDimension.maxTenants must be a positive integer')
  const redact = options.redact ?? []
  if (!Array.isArray(redact) || !redact.every((field) => typeof field === 'string' && field !== ''))
    fail('redact must be a list of field names')
  if (options.now !== undefined && typeof options.now !== 'function') fail('now must be a function')
  if (options.logEvent !== undefined && typeof options.logEvent !== 'boolean')
    fail('logEvent must be a boolean')
  const tracer = options.tracer ?? d.tracer
  if (typeof tracer !== 'boolean' && typeof tracer !== 'object')
    fail('tracer must be a Tracer, a LiftTracer or a boolean')
  return {
    correlationHeaders: correlationHeaders.map((h) => h.toLowerCase()),
    correlationIdMaxLength: maxLength,
    audit: audit === false ? undefined : audit === true ? {} : audit,
    requestMetrics: requestMetrics === false ? undefined : requestMetrics === true ? {} : requestMetrics,
    redact,
    logEvent: options.logEvent ?? false,
    now: options.now ?? (() => performance.now()),
  }
}

function fail(message: string): never {
  throw new TypeError(`observability: ${message}`)
}
