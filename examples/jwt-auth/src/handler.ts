import { authorize, jwtAuth } from '@lift/auth-jwt'
import { verifySignature } from '@lift/request-signing'
import { httpRequestView, type LiftContext, LiftHttpError } from '@lift/security-core'
import middy, { type MiddlewareObj } from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda'
import { type ApiConfig, configFromEnv, issuerOptions, serviceSignatureOptions } from './config'

/** The routes, as API Gateway route keys (template.yaml declares the same). */
export const ROUTES = Object.freeze([
  'GET /public',
  'GET /me',
  'GET /admin/stats',
  'GET /tenants/{tenantId}/orders',
  'POST /service/reports',
] as const)

type Route = (typeof ROUTES)[number]
type LambdaHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>

/**
 * One function for five routes. Each route is its own Middy chain, so each gets exactly the checks it
 * needs; the jwtAuth instance (its key cache and verified-token cache) is shared. The service route takes
 * no token: another service calls it with an RFC 9421 signature (HMAC-SHA256) instead.
 */
export function createHandler(config: ApiConfig): LambdaHandler {
  const auth = jwtAuth({
    issuers: [issuerOptions(config)],
    tenant: { claim: 'tenant_id', fromRequest: (view) => view.pathParameters.tenantId },
    ...(config.now ? { now: config.now } : {}),
  })
  const route = (...middlewares: MiddlewareObj[]) =>
    middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
      .use(httpErrorHandler({ logger: false }))
      .use(middlewares)

  const notFound = route().handler(async () => {
    throw new LiftHttpError(404, { code: 'not-found', detail: 'No such route.' })
  })

  const routes: Record<Route, LambdaHandler> = {
    'GET /public': route().handler(async () => json({ message: 'Anyone can read this.' })),
    'GET /me': route(auth, authorize()).handler(async (_event, context) => {
      const principal = principalOf(context)
      return json({
        id: principal.id,
        tenantId: principal.tenantId,
        roles: principal.roles,
        scopes: principal.scopes,
      })
    }),
    'GET /admin/stats': route(auth, authorize({ roles: { anyOf: ['admin'] } })).handler(
      async (_event, context) => json({ tenantId: principalOf(context).tenantId, activeUsers: 42 }),
    ),
    'GET /tenants/{tenantId}/orders': route(auth, authorize({ tenant: 'match-request' })).handler(
      async (event) => json({ tenantId: httpRequestView(event).pathParameters.tenantId, orders: [] }),
    ),
    'POST /service/reports': config.service
      ? route(verifySignature(serviceSignatureOptions(config.service, config.now))).handler(
          async (event, context) =>
            json({
              caller: principalOf(context).id,
              receivedBytes: httpRequestView(event).rawBody?.length ?? 0,
            }),
        )
      : notFound,
  }

  return (event, context) => (routes[httpRequestView(event).routeKey as Route] ?? notFound)(event, context)
}

function principalOf(context: Context) {
  return (context as Context & Required<LiftContext>).principal
}

function json(body: unknown): APIGatewayProxyResultV2 {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

let deployed: LambdaHandler | undefined

/** The Lambda entry point: configured from the environment on the first invocation. */
export const handler: LambdaHandler = (event, context) => {
  deployed ??= createHandler(configFromEnv(process.env))
  return deployed(event, context)
}
