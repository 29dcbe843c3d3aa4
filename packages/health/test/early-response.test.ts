// Middy skips every `after` hook when a `before` answers, so outer middlewares that flush in `after` (Lift
// observability, Powertools' logMetrics / injectLambdaContext / captureLambdaHandler) would never see a health
// request. healthCheck runs their registered cleanups first.
import { describe, expect, it } from '@jest/globals'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy, { type MiddlewareObj } from '@middy/core'
import { healthCheck } from '../src/index'

function flushRecorder(key: string, seen: unknown[]): MiddlewareObj {
  return {
    before: (request) => {
      ;(request.internal as Record<string, unknown>)[key] = async (r: { response?: unknown }) => {
        seen.push(r.response)
      }
    },
  }
}

describe('healthCheck and outer middlewares', () => {
  it('runs the cleanups that outer middlewares registered, with the health response set', async () => {
    const lift: unknown[] = []
    const powertools: unknown[] = []
    const handler = middy()
      .use(flushRecorder('lift.observability', lift))
      .use(flushRecorder('powertools-for-aws.metrics', powertools))
      .use(healthCheck({ checks: { 'queue:depth': () => ({ status: 'pass' }) } }))
      .handler(async () => ({ statusCode: 200, body: 'business' }))

    const live = (await handler(apiGatewayV2Event({ path: '/health/live' }), lambdaContext())) as {
      statusCode: number
    }
    const full = (await handler(apiGatewayV2Event({ path: '/health' }), lambdaContext())) as {
      statusCode: number
    }
    expect([live.statusCode, full.statusCode]).toEqual([200, 200])
    expect(lift).toEqual([live, full])
    expect(powertools).toEqual([live, full])

    await handler(apiGatewayV2Event({ path: '/orders' }), lambdaContext())
    expect(lift).toHaveLength(2) // a request that passes through is flushed by the outer `after`, not here
  })
})
