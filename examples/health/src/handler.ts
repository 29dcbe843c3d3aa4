import { detailsWhenHeader, healthCheck } from '@lift/health'
import { httpRequestView, LiftHttpError } from '@lift/security-core'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda'
import { type DependencyOptions, dependencyChecks } from './checks'
import { deployedDependencies } from './config'

/** The API's routes, as API Gateway route keys (template.yaml declares the same). */
export const API_ROUTES = Object.freeze([
  'GET /hello',
  'GET /health',
  'GET /health/live',
  'GET /health/ready',
] as const)

/** The header that unlocks the detailed report; its value is the secret HEALTH_SECRET_ID holds. */
export const DETAILS_HEADER = 'x-health-secret'

export interface ApiOptions extends DependencyOptions {
  version: string
  /** Default 5000. */
  cacheTtlMs?: number
}

export type ApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>

/**
 * A small API: GET /hello, and the health paths answered by healthCheck before anything else runs.
 * The detailed report (outputs, version) needs the `x-health-secret` header to equal the secret.
 */
export function createApi(options: ApiOptions): ApiHandler {
  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(
      healthCheck({
        checks: dependencyChecks(options),
        serviceId: 'lift-health-example',
        version: options.version,
        cacheTtlMs: options.cacheTtlMs ?? 5000,
        details: detailsWhenHeader({
          header: DETAILS_HEADER,
          secret: async () => String(await options.secrets.get(options.secretId)),
        }),
      }),
    )
    .use(httpErrorHandler({ logger: false }))
    .handler(async (event) => {
      const view = httpRequestView(event)
      if (view.method !== 'GET' || view.path !== '/hello')
        throw new LiftHttpError(404, { code: 'not-found', detail: 'No such route.' })
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'hello' }),
      }
    })
}

/** The API configured from its environment (TABLE_NAME, HEALTH_SECRET_ID, UPSTREAM_URL, SERVICE_VERSION). */
export function apiFromEnv(env: Readonly<Record<string, string | undefined>>): ApiHandler {
  return createApi(deployedDependencies(env))
}

let deployed: ApiHandler | undefined

/** The Lambda entry point behind the HTTP API: configured on the first invocation. */
export const handler: ApiHandler = (event, context) => {
  deployed ??= apiFromEnv(process.env)
  return deployed(event, context)
}
