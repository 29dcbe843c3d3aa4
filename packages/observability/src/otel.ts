import { type Attributes, type Span, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api'
import type { InvocationTrace, LiftTracer } from './tracing'

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

export type { InvocationTrace, LiftTracer, Outcome } from './tracing'
