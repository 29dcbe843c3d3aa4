import { type SecurityEvent, subscribeSecurityEvents } from '@lift/security-core'
import { apiGatewayV2Event, type HttpEventInit, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import type { Context } from 'aws-lambda'
import { type HealthCheckOptions, healthCheck } from '../../src/index'

export interface Answer {
  statusCode: number
  headers: Record<string, string>
  body: string
}

export interface Harness {
  /** Sends one HTTP API (v2) request through middy(handler).use(healthCheck(options)).use(httpErrorHandler()). */
  request(init?: HttpEventInit, context?: Context): Promise<Answer>
  /** How often the wrapped handler ran (requests that passed through). */
  readonly handlerCalls: number
  readonly handler: (event: unknown, context: Context) => Promise<unknown>
}

export function harness(options: HealthCheckOptions): Harness {
  let handlerCalls = 0
  const handler = middy()
    .use(healthCheck(options))
    .use(httpErrorHandler({ logger: false }))
    .handler(async () => {
      handlerCalls += 1
      return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'from the handler' }
    })
  return {
    async request(init = {}, context = lambdaContext()) {
      const response = (await handler(apiGatewayV2Event(init) as never, context)) as Answer
      return { ...response, headers: response.headers ?? {} }
    },
    get handlerCalls() {
      return handlerCalls
    },
    handler: handler as unknown as Harness['handler'],
  }
}

/** Collects the `health` events published while `run` runs. */
export async function healthEvents<T>(
  run: () => Promise<T>,
): Promise<{ result: T; events: SecurityEvent[] }> {
  const events: SecurityEvent[] = []
  const unsubscribe = subscribeSecurityEvents((event) => {
    if (event.type === 'health') events.push(event)
  })
  try {
    return { result: await run(), events }
  } finally {
    unsubscribe()
  }
}
