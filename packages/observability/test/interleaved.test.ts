// Several invocations interleave in one Node.js process (Lambda Managed Instances, serveLocal, tests): every
// log line must carry its own invocation's correlation id, route, principal, tenant and Lambda context.
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { publishSecurityEvent } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { observability } from '../src/index'
import { type Captured, captureOutput } from './support/capture'

let out: Captured
const savedEnv = { ...process.env }
beforeAll(() => {
  process.env.POWERTOOLS_SERVICE_NAME = 'orders'
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'LiftTest'
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand'
})
afterAll(() => {
  process.env = savedEnv
})
afterEach(() => out?.restore())

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const TENANTS = ['acme', 'globex', 'initech']

interface Call {
  correlationId: string
  awsRequestId: string
  tenant: string
  principal: string
  route: string
  fails: boolean
}

function calls(count: number): Call[] {
  return Array.from({ length: count }, (_, i) => ({
    correlationId: `corr-${i}`,
    awsRequestId: `aws-${i}`,
    tenant: TENANTS[i % TENANTS.length]!,
    principal: `user-${i}`,
    route: i % 2 === 0 ? 'GET /orders/{id}' : 'POST /orders',
    fails: i % 3 === 0,
  }))
}

function interleavedStack(logger: Logger, audit: boolean) {
  return middy<{ headers: Record<string, string | undefined> }>()
    .use(observability({ logger, metrics: new Metrics(), audit }))
    .use(httpErrorHandler({ logger: false }))
    .handler(async (event) => {
      const i = Number(event.headers['x-call'])
      const call = calls(30)[i]!
      // Finishing order is the reverse of starting order: the first to start is the last to end.
      await tick(1 + ((30 - i) % 7))
      logger.info('before auth')
      publishSecurityEvent({
        type: 'authn.jwt',
        outcome: 'allow',
        reason: 'ok',
        principalId: call.principal,
        tenantId: call.tenant,
        at: Date.now(),
      })
      await tick(1 + (i % 5))
      logger.info('handling', { step: i })
      const child = logger.createChild()
      await tick(i % 3)
      child.info('child line')
      if (call.fails) throw new Error(`boom ${i}`)
      return { statusCode: 200, body: 'ok' }
    })
}

describe('interleaved invocations', () => {
  it('log context does not bleed: 30 interleaved invocations over 3 tenants, every line carries its own ids', async () => {
    const logger = new Logger()
    const handler = interleavedStack(logger, true)
    const all = calls(30)
    out = captureOutput()
    const responses = await Promise.all(
      all.map((call, i) =>
        handler(
          apiGatewayV2Event({
            method: call.route.split(' ')[0],
            path: '/orders',
            routeKey: call.route,
            headers: { 'x-correlation-id': call.correlationId, 'x-call': String(i) },
          }),
          lambdaContext({ awsRequestId: call.awsRequestId }),
        ),
      ),
    )
    out.restore()
    expect(responses.map((r) => (r as { statusCode: number }).statusCode)).toEqual(
      all.map((call) => (call.fails ? 500 : 200)),
    )
    const lines = out.logs()
    const byCorrelation = new Map<string, Record<string, unknown>[]>()
    for (const line of lines) {
      // Every line of an invocation names it: none is left without a correlation id.
      expect(typeof line.correlation_id).toBe('string')
      const id = line.correlation_id as string
      byCorrelation.set(id, [...(byCorrelation.get(id) ?? []), line])
    }
    expect(byCorrelation.size).toBe(30)
    for (const call of all) {
      const own = byCorrelation.get(call.correlationId)!
      const messages = own.map((line) => line.message)
      expect(messages).toEqual(
        expect.arrayContaining(['before auth', 'handling', 'child line', 'audit authn.jwt allow']),
      )
      if (call.fails) expect(messages).toContain('invocation failed')
      for (const line of own) {
        expect(line.function_request_id).toBe(call.awsRequestId)
        expect(line.route).toBe(call.route)
        if (line.message === 'before auth') {
          expect(line.principal_id).toBeUndefined()
          expect(line.tenant).toBeUndefined()
        } else {
          expect(line).toMatchObject({ principal_id: call.principal, tenant: call.tenant })
        }
      }
    }
    // Only the container's first invocation is a cold start, on every one of its lines.
    const cold = lines.filter((line) => line.cold_start === true)
    expect(new Set(cold.map((line) => line.correlation_id)).size).toBe(1)
    expect(cold.length).toBe(byCorrelation.get(cold[0]!.correlation_id as string)!.length)
  })

  it('keys the handler appends itself are reset once no invocation is in flight, and lines outside one carry none', async () => {
    const logger = new Logger()
    const handler = middy()
      .use(observability({ logger, metrics: new Metrics() }))
      .handler(async () => {
        logger.appendKeys({ order: 'o-1' })
        logger.info('inside')
        return { statusCode: 200, body: 'ok' }
      })
    out = captureOutput()
    await handler(apiGatewayV2Event({ headers: { 'x-correlation-id': 'c-1' } }), lambdaContext())
    logger.info('outside')
    out.restore()
    const [inside, outside] = out.logs()
    expect(inside).toMatchObject({ message: 'inside', order: 'o-1', correlation_id: 'c-1' })
    expect(outside!.message).toBe('outside')
    expect(outside).not.toHaveProperty('order')
    expect(outside).not.toHaveProperty('correlation_id')
    expect(outside).not.toHaveProperty('route')
  })
})
