import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { observability } from '@lift/observability'
import { createSecretsProvider } from '@lift/security-core'
import { configFromEnv } from './config'
import { type ApiHandler, createApi } from './stack'

let deployed: ApiHandler | undefined

/**
 * The Lambda entry point. Clients, caches and middlewares are built on the first invocation and reused by
 * every later one in this container; Powertools Logger, Metrics and Tracer read POWERTOOLS_* from template.yaml.
 */
export const handler: ApiHandler = (event, context) => {
  deployed ??= createApi(configFromEnv(process.env), {
    dynamoDb: new DynamoDBClient({}),
    secrets: createSecretsProvider(),
    outer: [observability({ audit: true })],
  })
  return deployed(event, context)
}
