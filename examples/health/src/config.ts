import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { createSecretsProvider } from '@lift/security-core'
import type { DependencyOptions } from './checks'

/** Environment variables both functions read (template.yaml sets exactly these). */
export const HEALTH_ENVIRONMENT = Object.freeze([
  'TABLE_NAME',
  'HEALTH_SECRET_ID',
  'UPSTREAM_URL',
  'SERVICE_VERSION',
] as const)

export type HealthEnvironment = Record<(typeof HEALTH_ENVIRONMENT)[number], string>

/** Every variable required and non-empty; a missing one fails the cold start with its name. */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): HealthEnvironment {
  const missing = HEALTH_ENVIRONMENT.filter((name) => !env[name])
  if (missing.length > 0) throw new Error(`Missing environment variables: ${missing.join(', ')}`)
  return Object.fromEntries(HEALTH_ENVIRONMENT.map((name) => [name, env[name]])) as HealthEnvironment
}

/** The deployed functions' dependencies (real AWS clients) and version, from the environment. */
export function deployedDependencies(
  env: Readonly<Record<string, string | undefined>>,
): DependencyOptions & { version: string } {
  const config = readEnvironment(env)
  return {
    dynamoDb: new DynamoDBClient({}),
    tableName: config.TABLE_NAME,
    secrets: createSecretsProvider(),
    secretId: config.HEALTH_SECRET_ID,
    upstreamUrl: config.UPSTREAM_URL,
    version: config.SERVICE_VERSION,
  }
}
