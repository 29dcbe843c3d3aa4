import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { authorize, jwtAuth } from '@lift/auth-jwt'
import { httpRequestView, type LiftContext, LiftHttpError } from '@lift/security-core'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda'
import { tenantIssuerEntity, tenantIssuerResolver, tenantsTable } from './tenants'

/** The routes, as API Gateway route keys (template.yaml declares the same). */
export const ROUTES = Object.freeze(['GET /tenants/{tenantId}/me'] as const)

type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>

export interface TenantApiConfig {
  readonly tableName: string
  readonly documentClient: DynamoDBDocumentClient
  /** Clock (epoch ms), for tests. */
  readonly now?: () => number
}

/**
 * GET /tenants/{tenantId}/me for any tenant's users: the token's issuer is looked up in the tenant table,
 * and the tenant it belongs to must be the one the path names (403 otherwise).
 */
export function createHandler(config: TenantApiConfig): LambdaHandler {
  const entity = tenantIssuerEntity(tenantsTable(config.tableName, config.documentClient))
  const me = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrorHandler({ logger: false }))
    .use(
      jwtAuth({
        issuers: tenantIssuerResolver(entity),
        issuerCache: { ttlSec: 300, negativeTtlSec: 60 },
        tenant: { required: true, fromRequest: (view) => view.pathParameters.tenantId },
        ...(config.now ? { now: config.now } : {}),
      }),
    )
    .use(authorize({ tenant: 'match-request' }))
    .handler(async (_event, context) => {
      const { id, tenantId, scopes } = (context as Context & Required<LiftContext>).principal
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id, tenantId, scopes }),
      }
    })
  const notFound = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(httpErrorHandler({ logger: false }))
    .handler(async () => {
      throw new LiftHttpError(404, { code: 'not-found', detail: 'No such route.' })
    })
  return (event, context) => (httpRequestView(event).routeKey === ROUTES[0] ? me : notFound)(event, context)
}

let deployed: LambdaHandler | undefined

/** The Lambda entry point: TENANTS_TABLE from the environment, the handler built on the first call. */
export const handler: LambdaHandler = async (event, context) => {
  if (deployed === undefined) {
    const tableName = process.env.TENANTS_TABLE
    if (!tableName) throw new Error('TENANTS_TABLE must be set')
    deployed = createHandler({
      tableName,
      documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    })
  }
  return deployed(event, context)
}
