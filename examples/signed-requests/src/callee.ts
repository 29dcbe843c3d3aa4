import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { type KeySource, type NonceStore, verifySignature } from '@lift/request-signing'
import { dynamoNonceStore } from '@lift/request-signing/dynamo'
import { createSecretsProvider, httpRequestView, LiftHttpError, requirePrincipal } from '@lift/security-core'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda'
import { CALLEE_ENVIRONMENT, readEnvironment } from './config'
import { sharedSecretKeys } from './keys'

/** The route, as an API Gateway route key (template.yaml declares the same). */
export const CALLEE_ROUTE = 'POST /orders'

export interface CalleeOptions {
  keys: KeySource
  /** Every nonce is accepted once; a request without one is refused. */
  nonceStore: NonceStore
  /** Clock in epoch milliseconds. Default Date.now. */
  now?: () => number
}

export type CalleeHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyResultV2>

/**
 * The callee: accepts an order only from a caller whose RFC 9421 signature verifies (method, URL and body
 * digest covered, a nonce never seen before), and answers 201 naming the caller. Anything else is a 401
 * problem+json that does not say why.
 */
export function createCallee(options: CalleeOptions): CalleeHandler {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrorHandler({ logger: false }))
    .use(
      verifySignature({
        keys: options.keys,
        nonce: { store: options.nonceStore, required: true },
        ...(options.now ? { now: options.now } : {}),
      }),
    )
    .handler(async (event, context) => {
      const principal = requirePrincipal({ context })
      const order = parseOrder(httpRequestView(event).rawBody)
      return {
        statusCode: 201,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ accepted: order, caller: principal.id }),
      }
    })
}

/** The callee configured from its environment (SIGNING_SECRET_ID, SIGNING_KEY_ID, NONCE_TABLE_NAME). */
export function calleeFromEnv(env: Readonly<Record<string, string | undefined>>): CalleeHandler {
  const config = readEnvironment(env, CALLEE_ENVIRONMENT)
  return createCallee({
    keys: sharedSecretKeys(createSecretsProvider(), config.SIGNING_SECRET_ID, config.SIGNING_KEY_ID),
    nonceStore: dynamoNonceStore({
      tableName: config.NONCE_TABLE_NAME,
      documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    }),
  })
}

let deployed: CalleeHandler | undefined

/** The Lambda entry point behind the HTTP API: configured on the first invocation. */
export const handler: CalleeHandler = (event, context) => {
  deployed ??= calleeFromEnv(process.env)
  return deployed(event, context)
}

function parseOrder(body: Buffer | undefined): Record<string, unknown> {
  let order: unknown
  try {
    order = JSON.parse(body?.toString('utf8') ?? '')
  } catch {
    order = undefined
  }
  if (typeof order !== 'object' || order === null || Array.isArray(order))
    throw new LiftHttpError(400, { code: 'invalid-order', detail: 'The body must be a JSON object.' })
  return order as Record<string, unknown>
}
