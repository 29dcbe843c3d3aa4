export type {
  CheckContext,
  CheckFunction,
  CheckResult,
  HealthCheckDefinition,
  HealthChecks,
} from './check-definition'
export type { BuiltInCheckOptions } from './checks/check-options'
export type { DynamoDbCheckOptions, DynamoDbClientLike } from './checks/dynamodb-check'
export { dynamoDbCheck } from './checks/dynamodb-check'
export type { HttpCheckOptions } from './checks/http-check'
export { httpCheck } from './checks/http-check'
export type { MemoryCheckOptions } from './checks/memory-check'
export { memoryCheck } from './checks/memory-check'
export type { SecretsManagerCheckOptions } from './checks/secrets-manager-check'
export { secretsManagerCheck } from './checks/secrets-manager-check'
export type { DetailsWhenHeaderOptions } from './details'
export { detailsFromIps, detailsWhenHeader } from './details'
export { healthCheck, healthCheck as default } from './health-check'
export type { DetailsDecision, DetailsPolicy, HealthCheckOptions, HealthPaths } from './health-options'
export { healthCheckDefaults } from './health-options'
export type { HealthCheckEntry, HealthReport, HealthStatus } from './health-report'
export { HEALTH_CONTENT_TYPE } from './health-report'
export type { HealthResponse } from './health-response'
export type { AnonymousLevel } from './report-views'
export type { RunHealthChecksOptions } from './run-health-checks'
export { runHealthChecks } from './run-health-checks'
