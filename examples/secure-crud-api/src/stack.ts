import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { authorize, jwtAuth } from '@lift/auth-jwt'
import { detailsWhenHeader, dynamoDbCheck, healthCheck, memoryCheck, secretsManagerCheck } from '@lift/health'
import { dynamoStore, type RateLimitStore, rateLimit } from '@lift/rate-limit'
import { type NonceStore, verifySignature } from '@lift/request-signing'
import { dynamoNonceStore } from '@lift/request-signing/dynamo'
import { httpRequestView, type LiftContext, LiftHttpError, type SecretsProvider } from '@lift/security-core'
import middy, { type MiddlewareObj } from '@middy/core'
import httpCors from '@middy/http-cors'
import httpErrorHandler from '@middy/http-error-handler'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import httpSecurityHeaders from '@middy/http-security-headers'
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda'
import { type ServiceCaller, type StackConfig, serviceSignatureOptions, tenantIssuers } from './config'
import { ANONYMOUS_LIMITS, planLimits } from './limits'
import { problemJsonErrors } from './problem-json'
import { idempotentCreate } from './projects/idempotent-create'
import { projectRepository } from './projects/repository'
import { projectRoutes, type RouteHandler } from './projects/routes'
import { projectEntity, projectsTable } from './projects/table'

/** Every route, as API Gateway route keys; template.yaml declares exactly these. */
export const ROUTES = Object.freeze([
  'GET /tenants/{tenantId}/projects',
  'POST /tenants/{tenantId}/projects',
  'GET /tenants/{tenantId}/projects/{projectId}',
  'PATCH /tenants/{tenantId}/projects/{projectId}',
  'DELETE /tenants/{tenantId}/projects/{projectId}',
  'GET /service/tenants/{tenantId}/projects',
  'GET /status',
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
  // CORS preflights: an HTTP API without a CORS configuration answers OPTIONS 404 itself unless a route
  // sends it here, where httpCors answers it (and, with no CORS_ORIGINS, the router's 404 does).
  'OPTIONS /{proxy+}',
] as const)

export type Route = (typeof ROUTES)[number]
export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>

/** What the stack talks to; tests and the demo pass local stand-ins, the Lambda entry point real clients. */
export interface StackDependencies {
  dynamoDb: DynamoDBClient
  secrets: SecretsProvider
  /** Outermost middlewares (observability), applied before everything else. */
  outer?: readonly MiddlewareObj[]
  /** Default: dynamoNonceStore on the guard table. */
  nonceStore?: NonceStore
  /** Default: dynamoStore on the guard table. */
  rateLimitStore?: RateLimitStore
}

/** The header that unlocks the detailed health report; its value is the secret HEALTH_TOKEN_SECRET_ID holds. */
export const HEALTH_TOKEN_HEADER = 'x-health-token'

/**
 * One router function for every route. Each route is its own Middy chain behind one shared outer stack,
 * in the order of docs/index.md: observability → security headers, CORS → health (early return) → error
 * handler → authentication (JWT, or an RFC 9421 signature on service routes) → rate limit → authorize →
 * JSON body. One function keeps one warm pool, one key cache, one token cache and one set of clients.
 */
export function createApi(config: StackConfig, deps: StackDependencies): ApiHandler {
  const documentClient = DynamoDBDocumentClient.from(deps.dynamoDb, {
    marshallOptions: { removeUndefinedValues: true },
  })
  const table = projectsTable(config.dataTableName, documentClient)
  const repository = projectRepository(table, projectEntity(table))
  const projects = projectRoutes(
    repository,
    idempotentCreate(repository, { tableName: config.dataTableName, client: deps.dynamoDb }),
  )
  const now = config.now ? { now: config.now } : {}

  const user = jwtAuth({
    issuers: tenantIssuers(config.tenants),
    tenant: { fromRequest: (view) => view.pathParameters.tenantId },
    roles: { claim: 'roles' },
    secretsProvider: deps.secrets,
    ...now,
  })
  const limitStore =
    deps.rateLimitStore ?? dynamoStore({ tableName: config.guardTableName, documentClient, keyPrefix: 'rl#' })
  const storeTimeout =
    config.rateLimitStoreTimeoutMs === undefined ? {} : { storeTimeoutMs: config.rateLimitStoreTimeoutMs }
  const perPrincipal = rateLimit({
    key: 'principal',
    limits: planLimits,
    store: limitStore,
    ...storeTimeout,
    ...now,
  })
  const perIp = rateLimit({ key: 'ip', limits: ANONYMOUS_LIMITS, store: limitStore, ...storeTimeout, ...now })
  const sameTenant = { tenant: 'match-request' } as const
  const readers = authorize({ ...sameTenant, roles: { anyOf: ['reader', 'admin'] }, ...now })
  const admins = authorize({ ...sameTenant, roles: { anyOf: ['admin'] }, ...now })

  const route = (middlewares: MiddlewareObj[], handler: RouteHandler) =>
    middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2, Error, Context & LiftContext>()
      .use(middlewares)
      .handler(handler)
  const withBody = () => httpJsonBodyParser({ disableContentTypeError: false }) as MiddlewareObj

  const routes: Partial<Record<Route, ApiHandler>> = {
    'GET /tenants/{tenantId}/projects': route([user, perPrincipal, readers], projects.list),
    'POST /tenants/{tenantId}/projects': route([user, perPrincipal, admins, withBody()], projects.create),
    'GET /tenants/{tenantId}/projects/{projectId}': route([user, perPrincipal, readers], projects.get),
    'PATCH /tenants/{tenantId}/projects/{projectId}': route(
      [user, perPrincipal, admins, withBody()],
      projects.update,
    ),
    'DELETE /tenants/{tenantId}/projects/{projectId}': route([user, perPrincipal, admins], projects.remove),
    'GET /status': route([perIp], async () => json({ service: config.service, version: config.version })),
  }
  if (config.serviceCallers.length > 0) {
    const signed = verifySignature(
      serviceSignatureOptions(
        config.serviceCallers,
        deps.secrets,
        {
          store: deps.nonceStore ?? dynamoNonceStore({ tableName: config.guardTableName, documentClient }),
          required: true,
        },
        {
          ...now,
          ...(config.serviceMaxAgeSec === undefined ? {} : { maxAgeSec: config.serviceMaxAgeSec }),
        },
      ),
    )
    routes['GET /service/tenants/{tenantId}/projects'] = route(
      [signed, perPrincipal, authorize({ ...sameTenant, ...now })],
      projects.list,
    )
  }

  const router: ApiHandler = (event, context) => {
    const handler = routes[httpRequestView(event).routeKey as Route]
    if (!handler) throw new LiftHttpError(404, { code: 'not-found', detail: 'No such route.' })
    return handler(event, context)
  }

  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use([...(deps.outer ?? [])])
    .use(httpSecurityHeaders())
    .use(config.corsOrigins.length > 0 ? [cors(config.corsOrigins)] : [])
    .use(
      healthCheck({
        checks: [
          dynamoDbCheck({ client: deps.dynamoDb, tableName: config.dataTableName }),
          dynamoDbCheck({
            client: deps.dynamoDb,
            tableName: config.guardTableName,
            name: 'guard-table:responseTime',
          }),
          ...(config.healthTokenSecretId
            ? [secretsManagerCheck({ secretId: config.healthTokenSecretId, provider: deps.secrets })]
            : []),
          memoryCheck({ maxHeapRatio: 0.9 }),
        ],
        serviceId: config.service,
        version: config.version,
        details: healthDetails(config, deps.secrets),
        ...now,
      }),
    )
    .use(httpErrorHandler({ logger: false }))
    .use(problemJsonErrors())
    .handler(router)
}

function cors(origins: readonly string[]): MiddlewareObj {
  return httpCors({
    // Answer preflights here (Middy's default leaves them to the handler, which would 404 them).
    disableBeforePreflightResponse: false,
    origins: [...origins],
    headers: 'Authorization,Content-Type,Idempotency-Key,X-Correlation-Id',
    methods: 'GET,POST,PATCH,DELETE',
    exposeHeaders: 'ETag,Location,RateLimit,RateLimit-Policy,Retry-After,X-Correlation-Id',
  })
}

function healthDetails(config: StackConfig, secrets: SecretsProvider) {
  if (config.healthToken)
    return detailsWhenHeader({ header: HEALTH_TOKEN_HEADER, secret: config.healthToken })
  const secretId = config.healthTokenSecretId
  if (!secretId) return false
  return detailsWhenHeader({
    header: HEALTH_TOKEN_HEADER,
    secret: async () => String(await secrets.get(secretId)),
  })
}

function json(body: unknown): Promise<APIGatewayProxyResultV2> {
  return Promise.resolve({
    statusCode: 200,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}

export type { ServiceCaller }
