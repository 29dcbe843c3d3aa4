// Runs middlewares the way users do: middy + @middy/http-error-handler, on real API Gateway v2 events.
import { afterEach, beforeEach } from '@jest/globals'
import { type LiftContext, type SecurityEvent, subscribeSecurityEvents } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy, { type MiddlewareObj } from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'

type HttpEventInit = Parameters<typeof apiGatewayV2Event>[0]

export interface HttpResult {
  statusCode: number
  headers: Record<string, string>
  body: string
}

/** A handler that answers 200 with the principal it sees (or null). */
export function app(...middlewares: MiddlewareObj[]) {
  return middy()
    .use(httpErrorHandler({ logger: false }))
    .use(middlewares)
    .handler(async (_event: unknown, context: object) => ({
      statusCode: 200,
      headers: {},
      body: JSON.stringify((context as LiftContext).principal ?? null),
    }))
}

export async function call(handler: ReturnType<typeof app>, init: HttpEventInit = {}): Promise<HttpResult> {
  return (await handler(apiGatewayV2Event(init) as never, lambdaContext() as never)) as HttpResult
}

/** Like call(), for an event the builder cannot express (e.g. without requestContext.requestId). */
export async function callEvent(handler: ReturnType<typeof app>, event: object): Promise<HttpResult> {
  return (await handler(event as never, lambdaContext() as never)) as HttpResult
}

/** An API Gateway v2 event whose requestContext carries no requestId. */
export function eventWithoutRequestId(init: HttpEventInit = {}): object {
  const event = apiGatewayV2Event(init) as unknown as { requestContext: Record<string, unknown> }
  delete event.requestContext.requestId
  return event
}

export const bearer = (token: string, init: HttpEventInit = {}): HttpEventInit => ({
  ...init,
  headers: { ...init.headers, authorization: `Bearer ${token}` },
})

/** Collects `lift:security` events until stop() (call it in afterEach). */
export function captureEvents(): { events: SecurityEvent[]; stop: () => void } {
  const events: SecurityEvent[] = []
  const stop = subscribeSecurityEvents((event) => events.push(event))
  return { events, stop }
}

/**
 * Captures `lift:security` events during each test of the calling file (registers beforeEach/afterEach):
 * `events()` lists them, `reasons()` their reasons.
 */
export function securityEventLog(): { events: () => SecurityEvent[]; reasons: () => string[] } {
  let capture: ReturnType<typeof captureEvents> | undefined
  beforeEach(() => {
    capture = captureEvents()
  })
  afterEach(() => capture?.stop())
  return {
    events: () => capture!.events,
    reasons: () => capture!.events.map((event) => event.reason),
  }
}
