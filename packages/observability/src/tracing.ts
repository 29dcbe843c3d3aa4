/** What Lift needs of a tracer: one span (segment) per invocation with annotations and an outcome. */
export interface LiftTracer {
  startInvocation(info: InvocationTraceInfo): InvocationTrace
}

export interface InvocationTraceInfo {
  route: string
  coldStart: boolean
}

/** `success` (2xx/3xx or a non-HTTP success), `client_error` (4xx), `server_error` (5xx or a thrown error). */
export type Outcome = 'success' | 'client_error' | 'server_error'

export interface InvocationTrace {
  annotate(key: string, value: string | number | boolean): void
  /** Records an error (its name and a redacted message, never a stack). */
  error(error: { name: string; message: string }): void
  end(outcome: Outcome): void
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

interface SubsegmentLike {
  addError(error: Error): void
  addErrorFlag(): void
  addFaultFlag(): void
  close(): void
}

const NO_TRACE: InvocationTrace = Object.freeze({ annotate() {}, error() {}, end() {} })

/**
 * Powertools Tracer (X-Ray) as a LiftTracer: a `## <handler>` subsegment per invocation, as
 * captureLambdaHandler makes, with ColdStart, Service and Lift's annotations, the error flag for 4xx and the
 * fault flag for 5xx and thrown errors.
 */
export function powertoolsTracer(tracer: PowertoolsTracerLike): LiftTracer {
  return {
    startInvocation({ route }) {
      if (!tracer.isTracingEnabled()) return NO_TRACE
      const parent = tracer.getSegment()
      if (parent === undefined) return NO_TRACE
      const subsegment = parent.addNewSubsegment(`## ${process.env._HANDLER ?? 'handler'}`)
      tracer.setSegment(subsegment as never)
      tracer.annotateColdStart()
      tracer.addServiceNameAnnotation()
      tracer.putAnnotation('route', route)
      return {
        annotate: (key, value) => tracer.putAnnotation(key, value),
        error: (error) => subsegment.addError(Object.assign(new Error(error.message), { name: error.name })),
        end(outcome) {
          tracer.putAnnotation('outcome', outcome)
          if (outcome === 'client_error') subsegment.addErrorFlag()
          if (outcome === 'server_error') subsegment.addFaultFlag()
          subsegment.close()
          tracer.setSegment(parent as never)
        },
      }
    },
  }
}

export function isLiftTracer(value: unknown): value is LiftTracer {
  return typeof (value as LiftTracer | null)?.startInvocation === 'function'
}

export function isPowertoolsTracer(value: unknown): value is PowertoolsTracerLike {
  const tracer = value as PowertoolsTracerLike | null
  return typeof tracer?.getSegment === 'function' && typeof tracer.putAnnotation === 'function'
}
