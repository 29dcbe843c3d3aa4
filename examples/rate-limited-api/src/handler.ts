import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { jwtAuth } from '@lift/auth-jwt'
import { dynamoStore, type RateLimitStore, rateLimit } from '@lift/rate-limit'
import { httpRequestView, type LiftContext, LiftHttpError } from '@lift/security-core'
import middy, { type MiddlewareObj } from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda'
import { readEnvironment } from './config'
import { ANONYMOUS_LIMITS, PLAN_LIMITS, planOf, REPORT_COST } from './limits'

/** The routes, as API Gateway route keys (template.yaml declares the same). */
export const ROUTES = Object.freeze(['GET /public', 'GET /me', 'POST /reports'] as const)

type Route = (typeof ROUTES)[number]
type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>

export interface ApiConfig {
  readonly issuer: string
  readonly audience: string
  /** The issuer's JWKS (RS256 / ES256 tokens). */
  readonly jwksUri: string
  /** Where counts live: dynamoStore when deployed, memoryStore or dynalite locally. */
  readonly store: RateLimitStore
  /** Clock (epoch ms), for tests. */
  readonly now?: () => number
}

/**
 * One function for three routes. Authenticated routes are limited per principal with the limits of the
 * principal's plan (the `plan` claim); the anonymous route per source IP. Both limiters share one store,
 * so one DynamoDB table holds every count.
 */
export function createHandler(config: ApiConfig): LambdaHandler {
  const clock = config.now ? { now: config.now } : {}
  const auth = jwtAuth({
    issuers: [
      {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: ['RS256', 'ES256'],
        jwksUri: config.jwksUri,
      },
    ],
    ...clock,
  })
  const perPrincipal = (cost = 1) =>
    rateLimit({
      limits: (principal) => PLAN_LIMITS[planOf(principal)],
      key: 'principal',
      store: config.store,
      cost,
      ...clock,
    })
  const perIp = rateLimit({ limits: ANONYMOUS_LIMITS, key: 'ip', store: config.store, ...clock })
  const userLimit = perPrincipal()
  const reportLimit = perPrincipal(REPORT_COST)
  const route = (...middlewares: MiddlewareObj[]) =>
    middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
      .use(httpErrorHandler({ logger: false }))
      .use(middlewares)

  const notFound = route().handler(async () => {
    throw new LiftHttpError(404, { code: 'not-found', detail: 'No such route.' })
  })
  const routes: Record<Route, LambdaHandler> = {
    'GET /public': route(perIp).handler(async () =>
      json(200, { message: 'Anyone can read this, 10 times a minute.' }),
    ),
    'GET /me': route(auth, userLimit).handler(async (_event, context) => {
      const principal = (context as Context & Required<LiftContext>).principal
      return json(200, { id: principal.id, plan: planOf(principal) })
    }),
    'POST /reports': route(auth, reportLimit).handler(async () =>
      json(202, { report: 'queued', cost: REPORT_COST }),
    ),
  }
  return (event, context) => (routes[httpRequestView(event).routeKey as Route] ?? notFound)(event, context)
}

/** The deployed configuration: issuer and JWKS from the environment, counts in the DynamoDB table. */
export function handlerFromEnv(env: Readonly<Record<string, string | undefined>>): LambdaHandler {
  const vars = readEnvironment(env)
  return createHandler({
    issuer: vars.JWT_ISSUER,
    audience: vars.JWT_AUDIENCE,
    jwksUri: vars.JWKS_URI,
    store: dynamoStore({
      tableName: vars.RATE_LIMIT_TABLE_NAME,
      documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({})),
    }),
  })
}

function json(statusCode: number, body: unknown): APIGatewayProxyResultV2 {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

let deployed: LambdaHandler | undefined

/** The Lambda entry point: configured from the environment on the first invocation. */
export const handler: LambdaHandler = (event, context) => {
  deployed ??= handlerFromEnv(process.env)
  return deployed(event, context)
}
