import { authorize, type IssuerOptions, jwtAuth } from '@lift/auth-jwt'
import { httpRequestView, type LiftContext, LiftHttpError } from '@lift/security-core'
import middy, { type MiddlewareObj } from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import type { Context } from 'aws-lambda'
import { issuerFromEnv, ROLES_CLAIM } from './config'

/** The routes every API in template.yaml sends to this function. */
export const ROUTES = Object.freeze(['GET /me', 'GET /admin'] as const)

type Route = (typeof ROUTES)[number]
type LambdaHandler = (event: unknown, context: Context) => Promise<unknown>

/**
 * The function behind the authorizers. API Gateway verified the token already (jwtAuthorizer, or the
 * HTTP API's own JWT authorizer): `trustApiGatewayClaims` builds the principal from what it hands on,
 * still checking the issuer allow-list and reading the roles. Only API Gateway can invoke this function
 * (template.yaml gives it no other trigger), which is what makes trusting those fields safe.
 */
export function createApi(issuer: IssuerOptions): LambdaHandler {
  const auth = jwtAuth({
    issuers: [issuer],
    roles: { claim: ROLES_CLAIM },
    trustApiGatewayClaims: true,
  })
  const route = (...middlewares: MiddlewareObj[]) =>
    middy()
      .use(httpErrorHandler({ logger: false }))
      .use(auth)
      .use(middlewares)
  const routes: Record<Route, LambdaHandler> = {
    'GET /me': route(authorize()).handler(async (_event: unknown, context: Context) => {
      const { id, roles, scopes } = (context as Context & Required<LiftContext>).principal
      return json({ id, roles, scopes })
    }),
    'GET /admin': route(authorize({ roles: { anyOf: ['admin'] } })).handler(async () => json({ users: 42 })),
  }
  const notFound = middy()
    .use(httpErrorHandler({ logger: false }))
    .handler(async () => {
      throw new LiftHttpError(404, { code: 'not-found', detail: 'No such route.' })
    })
  // By route key (REST: method and resource), not by path: a named HTTP API stage or a custom domain's
  // base path mapping adds a prefix to the path, never to the route API Gateway matched.
  return (event, context) => {
    const target = routes[httpRequestView(event).routeKey as Route] ?? notFound
    return target(event as never, context)
  }
}

function json(body: unknown) {
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
}

let deployed: LambdaHandler | undefined

/** The Lambda entry point, built from the environment on the first call. */
export const handler: LambdaHandler = async (event, context) => {
  deployed ??= createApi(issuerFromEnv(process.env))
  return deployed(event, context)
}
