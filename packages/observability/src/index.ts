import { observability } from './observability'

export { type AuditRecord, DENIAL_METRICS } from './audit'
export { AWS_CLIENT_MIDDLEWARE, type AwsClientLike, captureAwsClient } from './aws-client'
export { CLEANUP_KEY, observability } from './observability'
export type { AuditOptions, ObservabilityOptions, RequestMetricsOptions } from './options'
export { observabilityDefaults } from './options'
export { createRedactor, REDACTED, type Redactor, SENSITIVE_FIELDS } from './redact'
export type {
  DependencyCall,
  DependencyCallResult,
  DependencyCallTrace,
  InvocationTrace,
  InvocationTraceInfo,
  LiftTracer,
  Outcome,
  PowertoolsTracerLike,
} from './tracing'
export { powertoolsTracer } from './tracing'

export default observability
