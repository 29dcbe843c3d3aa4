/** What Lift needs of a tracer: one span (segment) per invocation with annotations and an outcome. */
export interface LiftTracer {
  startInvocation(info: InvocationTraceInfo): InvocationTrace
}

/** What a LiftTracer is told when an invocation starts: its route and whether it is a cold start. */
export interface InvocationTraceInfo {
  route: string
  coldStart: boolean
}

/** `success` (2xx/3xx or a non-HTTP success), `client_error` (4xx), `server_error` (5xx or a thrown error). */
export type Outcome = 'success' | 'client_error' | 'server_error'

/** The span of one invocation, as a LiftTracer opens it: annotations, the error, the outcome, child calls. */
export interface InvocationTrace {
  annotate(key: string, value: string | number | boolean): void
  /** Records an error (its name and a redacted message, never a stack). */
  error(error: { name: string; message: string }): void
  end(outcome: Outcome): void
  /** A child span for one call to a dependency (captureAwsClient); tracers without it trace no calls. */
  startCall?(call: DependencyCall): DependencyCallTrace
}

/** One call to a dependency made during the invocation, e.g. DynamoDB `GetItem`. */
export interface DependencyCall {
  /** The service, as the AWS SDK names it (`DynamoDB`, `Secrets Manager`). */
  service: string
  /** The operation (`GetItem`). */
  operation: string
  region?: string
}

/** How one traced dependency call ended: status, request id, attempts, error and throttling. */
export interface DependencyCallResult {
  statusCode?: number
  requestId?: string
  /** Attempts the SDK made (1 without retries). */
  attempts?: number
  /** The error the call ended with (its name and message; messages of AWS errors hold no credentials). */
  error?: { name: string; message: string }
  throttled?: boolean
}

/** The span of one dependency call: the headers that propagate it, and `end()` with the result. */
export interface DependencyCallTrace {
  /** Headers that carry the trace context to the called service (`X-Amzn-Trace-Id`, `traceparent`). */
  readonly headers: Readonly<Record<string, string>>
  end(result: DependencyCallResult): void
}

/** The part of a Powertools Tracer (and its X-Ray segments) the adapter uses. */
export interface PowertoolsTracerLike {
  isTracingEnabled(): boolean
  getSegment(): SegmentLike | undefined
  setSegment(segment: never): void
  annotateColdStart(): void
  addServiceNameAnnotation(): void
  putAnnotation(key: string, value: string | number | boolean): void
}

interface SegmentLike {
  addNewSubsegment(name: string): SubsegmentLike
}

interface SubsegmentLike extends SegmentLike {
  readonly id?: string
  readonly notTraced?: boolean
  /** The (facade) segment of the trace: its id, the rest of `_X_AMZN_TRACE_ID` (`Lineage`…), PassThrough. */
  readonly segment?: {
    readonly trace_id?: string
    readonly additionalTraceData?: object
    readonly noOp?: boolean
  }
  addAnnotation(key: string, value: string | number | boolean): void
  addAttribute(name: string, value: unknown): void
  addError(error: Error, remote?: boolean): void
  addErrorFlag(): void
  addFaultFlag(): void
  addThrottleFlag(): void
  close(): void
}

const NO_TRACE: InvocationTrace = Object.freeze({ annotate() {}, error() {}, end() {} })

/**
 * Powertools Tracer (X-Ray) as a LiftTracer: a `## <handler>` subsegment per invocation, as
 * captureLambdaHandler makes, with ColdStart, Service and Lift's annotations, the error flag for 4xx and the
 * fault flag for 5xx and thrown errors.
 * @example
 * ```ts
 * import { Tracer } from '@aws-lambda-powertools/tracer'
 * import { observability, powertoolsTracer } from '@lift/observability'
 *
 * observability({ tracer: powertoolsTracer(new Tracer({ serviceName: 'orders-api' })) })
 * ```
 */
export function powertoolsTracer(tracer: PowertoolsTracerLike): LiftTracer {
  // The tracer's current segment is one per process: when invocations interleave, it can be another
  // invocation's open handler subsegment. Each invocation hangs off the Lambda segment and annotates its own.
  const parents = new WeakMap<object, SegmentLike>()
  return {
    startInvocation({ route }) {
      if (!tracer.isTracingEnabled()) return NO_TRACE
      const current = tracer.getSegment()
      if (current === undefined) return NO_TRACE
      const parent = parents.get(current) ?? current
      const subsegment = parent.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`)
      parents.set(subsegment, parent)
      // Synchronous from setSegment on: these annotations land on this subsegment.
      tracer.setSegment(subsegment as never)
      tracer.annotateColdStart()
      tracer.addServiceNameAnnotation()
      subsegment.addAnnotation('route', route)
      return {
        annotate: (key, value) => subsegment.addAnnotation(key, value),
        error: (error) => subsegment.addError(errorOf(error)),
        startCall: (call) => awsSubsegment(subsegment, call),
        end(outcome) {
          subsegment.addAnnotation('outcome', outcome)
          if (outcome === 'client_error') subsegment.addErrorFlag()
          if (outcome === 'server_error') subsegment.addFaultFlag()
          parents.delete(subsegment)
          subsegment.close()
          const now = tracer.getSegment()
          if (now === undefined || !parents.has(now)) tracer.setSegment(parent as never)
        },
      }
    },
  }
}

/** An `aws` subsegment for an AWS SDK call, as the X-Ray SDK's captureAWSv3Client records it. */
function awsSubsegment(parent: SubsegmentLike, call: DependencyCall): DependencyCallTrace {
  const subsegment = parent.addNewSubsegment(call.service)
  subsegment.addAttribute('namespace', 'aws')
  const headers: Record<string, string> = {}
  const header = traceHeader(parent.segment, subsegment)
  if (header !== undefined) headers['X-Amzn-Trace-Id'] = header
  return {
    headers,
    end(result) {
      subsegment.addAttribute('aws', {
        operation: call.operation,
        region: call.region,
        request_id: result.requestId,
        retries: result.attempts === undefined ? undefined : result.attempts - 1,
      })
      const status = result.statusCode
      if (status !== undefined) subsegment.addAttribute('http', { response: { status } })
      if (result.error !== undefined) subsegment.addError(errorOf(result.error), true)
      if (result.throttled) subsegment.addThrottleFlag()
      if (status !== undefined && status >= 400 && status < 500) subsegment.addErrorFlag()
      if (status !== undefined && status >= 500) subsegment.addFaultFlag()
      subsegment.close()
    },
  }
}

/**
 * The trace header for the call, as the X-Ray SDK's captureAWSv3Client writes it: the rest of the Lambda's
 * header (`Lineage`, which Lambda's recursive loop detection counts) is kept, and a PassThrough trace (no
 * active tracing) sends none, so that the SDK forwards `_X_AMZN_TRACE_ID` as it is.
 */
function traceHeader(segment: SubsegmentLike['segment'], subsegment: SubsegmentLike): string | undefined {
  const traceId = segment?.trace_id
  if (traceId === undefined || subsegment.id === undefined || segment?.noOp) return undefined
  const extra = Object.entries(segment?.additionalTraceData ?? {}).map(
    ([key, value]) => `;${key}=${String(value)}`,
  )
  return `Root=${traceId};Parent=${subsegment.id};Sampled=${subsegment.notTraced ? 0 : 1}${extra.join('')}`
}

function errorOf(error: { name: string; message: string }): Error {
  return Object.assign(new Error(error.message), { name: error.name })
}

export function isLiftTracer(value: unknown): value is LiftTracer {
  return typeof (value as LiftTracer | null)?.startInvocation === 'function'
}

export function isPowertoolsTracer(value: unknown): value is PowertoolsTracerLike {
  const tracer = value as PowertoolsTracerLike | null
  return typeof tracer?.getSegment === 'function' && typeof tracer.putAnnotation === 'function'
}
