import {
  type DynamoDbClientLike,
  dynamoDbCheck,
  type HealthCheckDefinition,
  httpCheck,
  memoryCheck,
  secretsManagerCheck,
} from '@lift/health'
import type { SecretsProvider } from '@lift/security-core'

export interface DependencyOptions {
  dynamoDb: DynamoDbClientLike
  tableName: string
  /** The application's provider: the secret check is answered from its cache. */
  secrets: SecretsProvider
  secretId: string
  /** The upstream's health URL; it is not critical: when it is down the service degrades (warn). */
  upstreamUrl: string
}

/** The service's dependencies, shared by the health routes and the scheduled run. */
export function dependencyChecks(options: DependencyOptions): HealthCheckDefinition[] {
  return [
    dynamoDbCheck({
      client: options.dynamoDb,
      tableName: options.tableName,
      timeoutMs: 800,
      warnAboveMs: 200,
    }),
    secretsManagerCheck({ secretId: options.secretId, provider: options.secrets, timeoutMs: 800 }),
    httpCheck({
      url: options.upstreamUrl,
      name: 'upstream:responseTime',
      timeoutMs: 1000,
      warnAboveMs: 500,
      critical: false,
    }),
    memoryCheck({ maxHeapRatio: 0.9, warnHeapRatio: 0.8 }),
  ]
}
