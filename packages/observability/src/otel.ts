import {
  type Attributes,
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api'
import type { DependencyCall, DependencyCallTrace, InvocationTrace, LiftTracer } from './tracing'

/**
 * Options of `openTelemetryTracer()`: the OpenTelemetry tracer to use and attributes for every span.
 * @example
 * ```ts
 * import { openTelemetryTracer } from '@lift/observability/otel'
 * import { trace } from '@opentelemetry/api'
 *
 * openTelemetryTracer({ tracer: trace.getTracer('orders-api'), attributes: { 'service.version': '1.4.0' } })
 * ```
 */
export interface OpenTelemetryTracerOptions {
  /** A tracer from your provider; default `trace.getTracer('@lift/observability')` (a no-op without a provider). */
  tracer?: Tracer
  /** Extra attributes on every invocation span (e.g. `cloud.region`). */
  attributes?: Attributes
}

/**
 * A LiftTracer on the OpenTelemetry API only: one SERVER span per invocation named after the route, with
 * `faas.coldstart`, `http.route` and `lift.*` attributes, ERROR status for 5xx and thrown errors. It needs no
 * SDK: without a registered provider the spans are no-ops, so nothing is paid until you register one.
 * @example
 * ```ts
 * import { observability } from '@lift/observability'
 * import middy from '@middy/core'
 * import { openTelemetryTracer } from '@lift/observability/otel'
 *
 * export const main = middy()
 *   .use(observability({ tracer: openTelemetryTracer({ attributes: { 'cloud.region': 'eu-west-1' } }) }))
 *   .handler(async () => ({ statusCode: 204 }))
 * ```
 */
export function openTelemetryTracer(options: OpenTelemetryTracerOptions = {}): LiftTracer {
  const tracer = () => options.tracer ?? trace.getTracer('@lift/observability')
  return {
    startInvocation({ route, coldStart }) {
      const span: Span = tracer().startSpan(route, {
        kind: SpanKind.SERVER,
        attributes: { ...options.attributes, 'faas.coldstart': coldStart, 'http.route': route },
      })
      const invocation: InvocationTrace = {
        annotate: (key, value) => {
          span.setAttribute(`lift.${key}`, value)
        },
        error: (error) => {
          span.recordException({ name: error.name, message: error.message })
        },
        startCall: (call) => clientSpan(tracer(), span, call),
        end: (outcome) => {
          span.setAttribute('lift.outcome', outcome)
          if (outcome === 'server_error') span.setStatus({ code: SpanStatusCode.ERROR })
          span.end()
        },
      }
      return invocation
    },
  }
}

/**
 * A CLIENT span for an AWS SDK call (captureAwsClient), child of the invocation span, with the `rpc.*` and
 * `aws.request_id` attributes of the OpenTelemetry AWS SDK conventions. The headers carry the context
 * through whatever propagator the application registered (none: no headers).
 */
function clientSpan(tracer: Tracer, parent: Span, call: DependencyCall): DependencyCallTrace {
  const span = tracer.startSpan(
    `${call.service}.${call.operation}`,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'rpc.system': 'aws-api',
        'rpc.service': call.service,
        'rpc.method': call.operation,
        ...(call.region === undefined ? {} : { 'cloud.region': call.region }),
      },
    },
    trace.setSpan(context.active(), parent),
  )
  const headers: Record<string, string> = {}
  propagation.inject(trace.setSpan(context.active(), span), headers)
  return {
    headers,
    end(result) {
      if (result.requestId !== undefined) span.setAttribute('aws.request_id', result.requestId)
      if (result.statusCode !== undefined) span.setAttribute('http.response.status_code', result.statusCode)
      if (result.attempts !== undefined) span.setAttribute('aws.attempts', result.attempts)
      if (result.error !== undefined) {
        span.recordException(result.error)
        span.setStatus({ code: SpanStatusCode.ERROR })
      }
      span.end()
    },
  }
}

export type {
  DependencyCall,
  DependencyCallResult,
  DependencyCallTrace,
  InvocationTrace,
  LiftTracer,
  Outcome,
} from './tracing'
