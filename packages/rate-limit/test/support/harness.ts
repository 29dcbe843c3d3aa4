import {
  createPrincipal,
  type Principal,
  type SecurityEvent,
  setPrincipal,
  subscribeSecurityEvents,
} from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { type RateLimitOptions, rateLimit } from '../../src/index'

export interface Outcome {
  statusCode: number
  headers: Record<string, string>
  body: string
  events: SecurityEvent[]
}

export type Handler = (event: unknown, context: unknown) => Promise<unknown>

export interface InvokeOptions {
  principal?: Principal
  handler?: Handler
}

export function principal(id: string, extra: Partial<Principal> = {}): Principal {
  return createPrincipal({ id, roles: [], scopes: [], authMethod: 'jwt', claims: {}, ...extra })
}

/** middy(handler).use(httpErrorHandler()).use(<sets the principal>).use(rateLimit(options)) */
export function limitedHandler(
  options: RateLimitOptions | ReturnType<typeof rateLimit>,
  invokeOptions: InvokeOptions = {},
) {
  const middleware = 'limits' in options ? rateLimit(options) : options
  return middy(invokeOptions.handler ?? (async () => ({ statusCode: 200, body: 'ok' })))
    .use(httpErrorHandler({ logger: false }))
    .use({
      before: (request) => {
        if (invokeOptions.principal) setPrincipal(request, invokeOptions.principal)
      },
    })
    .use(middleware)
}

/** Runs one event (default: GET /items from 198.51.100.7) and collects the ratelimit events it published. */
export async function run(
  handler: ReturnType<typeof limitedHandler>,
  event: unknown = httpEvent(),
): Promise<Outcome> {
  const events: SecurityEvent[] = []
  const unsubscribe = subscribeSecurityEvents((e) => {
    if (e.type === 'ratelimit') events.push(e)
  })
  try {
    const response = (await handler(event as never, lambdaContext() as never)) as {
      statusCode: number
      headers?: Record<string, string>
      body: string
    }
    return { statusCode: response.statusCode, headers: response.headers ?? {}, body: response.body, events }
  } finally {
    unsubscribe()
  }
}

export function httpEvent(init: Parameters<typeof apiGatewayV2Event>[0] = {}) {
  return apiGatewayV2Event({ method: 'GET', path: '/items', sourceIp: '198.51.100.7', ...init })
}
