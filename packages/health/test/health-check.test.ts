import { describe, expect, it } from '@jest/globals'
import { albEvent, apiGatewayV1Event, eventBridgeEvent, lambdaContext, sqsEvent } from '@lift/testing'
import middy from '@middy/core'
import healthCheckDefault, {
  HEALTH_CONTENT_TYPE,
  type HealthCheckOptions,
  healthCheck,
  healthCheckDefaults,
} from '../src/index'
import { manualClock } from './support/clock'
import { harness, healthEvents } from './support/harness'
import { expectHealthJson } from './support/health-schema'

const pass = async () => ({ status: 'pass' as const })
const fail = async () => ({ status: 'fail' as const, output: 'down' })

describe('healthCheck() paths', () => {
  it('answers /health/live with pass and runs no check', async () => {
    let calls = 0
    const counted = async () => {
      calls += 1
      return fail()
    }
    const h = harness({ checks: { 'db:responseTime': counted } })
    const answer = await h.request({ path: '/health/live' })
    expect(answer.statusCode).toBe(200)
    expect(expectHealthJson(answer.body)).toEqual({ status: 'pass' })
    expect(calls).toBe(0)
    expect(h.handlerCalls).toBe(0)
  })

  it('answers /health and /health/ready from the checks: 503 when a critical check fails', async () => {
    const h = harness({ checks: { 'db:responseTime': fail }, cacheTtlMs: 0 })
    for (const path of ['/health', '/health/ready']) {
      const answer = await h.request({ path })
      expect(answer.statusCode).toBe(503)
      expect(expectHealthJson(answer.body)).toEqual({ status: 'fail' })
    }
    expect(h.handlerCalls).toBe(0)
  })

  it('sends application/health+json with Cache-Control: no-store', async () => {
    const h = harness({ checks: { 'db:responseTime': pass } })
    for (const path of ['/health/live', '/health/ready', '/health']) {
      const answer = await h.request({ path })
      expect(answer.headers).toEqual({ 'Content-Type': HEALTH_CONTENT_TYPE, 'Cache-Control': 'no-store' })
    }
  })

  it('accepts a trailing slash on a health path', async () => {
    const h = harness({})
    expect((await h.request({ path: '/health/live/' })).statusCode).toBe(200)
    expect(h.handlerCalls).toBe(0)
  })

  it('answers HEAD with the status and headers and an empty body', async () => {
    const h = harness({ checks: { 'db:responseTime': fail } })
    const answer = await h.request({ path: '/health', method: 'HEAD' })
    expect(answer.statusCode).toBe(503)
    expect(answer.body).toBe('')
    expect(answer.headers['Content-Type']).toBe(HEALTH_CONTENT_TYPE)
  })

  it('passes every other path through to the handler untouched', async () => {
    const h = harness({ checks: { 'db:responseTime': fail } })
    for (const path of ['/', '/orders', '/healthz', '/health/livez', '/v1/health']) {
      const answer = await h.request({ path })
      expect(answer).toEqual({
        statusCode: 200,
        headers: { 'content-type': 'text/plain' },
        body: 'from the handler',
      })
    }
    expect(h.handlerCalls).toBe(5)
  })

  it('passes other methods on a health path through (POST /health is the application’s business)', async () => {
    const h = harness({})
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      expect((await h.request({ path: '/health', method })).body).toBe('from the handler')
    }
    expect(h.handlerCalls).toBe(4)
  })

  it('passes non-HTTP events (SQS, EventBridge) through to the handler', async () => {
    const seen: unknown[] = []
    const handler = middy()
      .use(healthCheck({ checks: { 'db:responseTime': fail } }))
      .handler(async (event: unknown) => {
        seen.push(event)
        return 'handled'
      })
    const sqs = sqsEvent(['{"orderId":1}'])
    const schedule = eventBridgeEvent()
    expect(await handler(sqs as never, lambdaContext())).toBe('handled')
    expect(await handler(schedule as never, lambdaContext())).toBe('handled')
    expect(seen).toEqual([sqs, schedule])
  })

  it('answers health paths of REST (v1) and ALB events too', async () => {
    const handler = middy()
      .use(healthCheck({}))
      .handler(async () => ({ statusCode: 418, body: '' }))
    for (const event of [apiGatewayV1Event({ path: '/health' }), albEvent({ path: '/health/live' })]) {
      const answer = (await handler(event as never, lambdaContext())) as { statusCode: number; body: string }
      expect(answer.statusCode).toBe(200)
      expect(JSON.parse(answer.body)).toEqual({ status: 'pass' })
    }
  })

  it('answers the default paths of an HTTP API on a named stage, whose rawPath starts with /<stage>', async () => {
    // On its execute-api domain an HTTP API serves stage `prod` under /prod, and AWS keeps /prod in rawPath.
    const h = harness({})
    const live = await h.request({ path: '/health/live', stage: 'prod' })
    expect(live.statusCode).toBe(200)
    expect(live.body).toBe('{"status":"pass"}')
    expect((await h.request({ path: '/health/', stage: 'prod' })).body).toBe('{"status":"pass"}')
    // Paths configured with the stage, as the docs used to advise, still match; other paths pass through.
    const configured = harness({ paths: { live: '/prod/ping' } })
    expect((await configured.request({ path: '/ping', stage: 'prod' })).body).toBe('{"status":"pass"}')
    expect((await h.request({ path: '/prod-health/live', stage: 'prod' })).body).toBe('from the handler')
    expect((await h.request({ path: '/items', stage: 'prod' })).body).toBe('from the handler')
    // On a custom domain the API mapping picks the stage and the path has no stage segment to drop.
    const custom = { path: '/prod/health/live', stage: 'prod', headers: { host: 'api.example.com' } }
    expect((await h.request(custom)).body).toBe('from the handler')
  })

  it('serves configured paths and leaves a disabled path to the handler', async () => {
    const h = harness({ paths: { live: '/ping', ready: false, health: '/status' } })
    expect((await h.request({ path: '/ping' })).body).toBe('{"status":"pass"}')
    expect((await h.request({ path: '/status' })).body).toBe('{"status":"pass"}')
    expect((await h.request({ path: '/health/ready' })).body).toBe('from the handler')
    expect((await h.request({ path: '/health/live' })).body).toBe('from the handler')
  })

  it('is the default export, and its defaults are frozen', () => {
    expect(healthCheckDefault).toBe(healthCheck)
    expect(Object.isFrozen(healthCheckDefaults)).toBe(true)
    expect(Object.isFrozen(healthCheckDefaults.paths)).toBe(true)
    expect(healthCheckDefaults.paths).toEqual({
      live: '/health/live',
      ready: '/health/ready',
      health: '/health',
    })
  })
})

describe('healthCheck() report', () => {
  it('reports pass with 200 when every check passes; details show version, serviceId and each check', async () => {
    const clock = manualClock()
    const h = harness({
      checks: {
        'db:responseTime': {
          check: async ({ now }) => {
            clock.advance(12)
            expect(now()).toBe(clock.now())
            return { status: 'pass' }
          },
          componentType: 'datastore',
          componentId: 'orders',
        },
        'queue:depth': async () => ({ status: 'pass', observedValue: 3, observedUnit: 'messages' }),
      },
      details: true,
      serviceId: 'orders-api',
      version: '1.4.2',
      releaseId: '1.4.2-abc123',
      description: 'Orders API',
      now: clock.now,
    })
    const answer = await h.request({ path: '/health' })
    expect(answer.statusCode).toBe(200)
    const time = new Date(clock.now()).toISOString()
    expect(expectHealthJson(answer.body)).toEqual({
      status: 'pass',
      version: '1.4.2',
      releaseId: '1.4.2-abc123',
      serviceId: 'orders-api',
      description: 'Orders API',
      checks: {
        'db:responseTime': [
          {
            componentId: 'orders',
            componentType: 'datastore',
            observedValue: 12,
            observedUnit: 'ms',
            status: 'pass',
            time,
          },
        ],
        'queue:depth': [{ observedValue: 3, observedUnit: 'messages', status: 'pass', time }],
      },
    })
  })

  it('accepts checks as an array of named definitions', async () => {
    const h = harness({
      checks: [
        { name: 'a:responseTime', check: pass },
        { name: 'b:responseTime', check: fail, critical: false },
      ],
      details: true,
    })
    const body = expectHealthJson((await h.request({ path: '/health' })).body)
    expect(body.status).toBe('warn')
    expect(Object.keys(body.checks as object)).toEqual(['a:responseTime', 'b:responseTime'])
  })

  it('answers pass with no checks configured', async () => {
    const h = harness({})
    expect(expectHealthJson((await h.request({ path: '/health' })).body)).toEqual({ status: 'pass' })
  })

  it('liveness with details carries version and serviceId', async () => {
    const h = harness({ details: true, serviceId: 'orders-api', version: '2' })
    expect(expectHealthJson((await h.request({ path: '/health/live' })).body)).toEqual({
      status: 'pass',
      serviceId: 'orders-api',
      version: '2',
    })
  })

  it("anonymous: 'checks' shows each check's status and nothing else", async () => {
    const h = harness({
      checks: { 'db:responseTime': fail, 'cache:responseTime': { check: pass, critical: false } },
      anonymous: 'checks',
      version: '9.9.9',
    })
    const answer = await h.request({ path: '/health' })
    expect(expectHealthJson(answer.body)).toEqual({
      status: 'fail',
      checks: { 'db:responseTime': [{ status: 'fail' }], 'cache:responseTime': [{ status: 'pass' }] },
    })
  })

  it('readiness never shows details, even to a caller allowed them', async () => {
    const h = harness({ checks: { 'db:responseTime': fail }, details: true, version: '1' })
    expect(expectHealthJson((await h.request({ path: '/health/ready' })).body)).toEqual({ status: 'fail' })
  })
})

describe('healthCheck() security events', () => {
  it('publishes one health event per answered request, with path, cached, details and failing keys', async () => {
    const clock = manualClock()
    const h = harness({
      checks: { 'db:responseTime': fail, 'cache:responseTime': pass },
      now: clock.now,
    })
    const context = lambdaContext({ awsRequestId: 'aws-req-1' })
    const { events } = await healthEvents(async () => {
      await h.request({ path: '/health', requestId: 'req-1' }, context)
      await h.request({ path: '/health/ready', requestId: 'req-2' }, context)
      await h.request({ path: '/health/live', requestId: 'req-3' }, context)
      await h.request({ path: '/orders', requestId: 'req-4' }, context)
    })
    expect(events).toEqual([
      {
        type: 'health',
        outcome: 'deny',
        reason: 'fail',
        requestId: 'req-1',
        at: clock.now(),
        detail: {
          source: 'request',
          path: '/health',
          cached: false,
          details: false,
          failing: ['db:responseTime'],
        },
      },
      {
        type: 'health',
        outcome: 'deny',
        reason: 'fail',
        requestId: 'req-2',
        at: clock.now(),
        detail: {
          source: 'request',
          path: '/health/ready',
          cached: true,
          details: false,
          failing: ['db:responseTime'],
        },
      },
      {
        type: 'health',
        outcome: 'allow',
        reason: 'pass',
        requestId: 'req-3',
        at: clock.now(),
        detail: { source: 'request', path: '/health/live', cached: false, details: false, failing: [] },
      },
    ])
  })

  it('reports warn as allow and records that details were shown', async () => {
    const h = harness({ checks: { 'cache:responseTime': { check: fail, critical: false } }, details: true })
    const { events } = await healthEvents(() => h.request({ path: '/health' }))
    expect(events).toEqual([
      expect.objectContaining({
        outcome: 'allow',
        reason: 'warn',
        detail: expect.objectContaining({ details: true, failing: ['cache:responseTime'] }),
      }),
    ])
  })
})

describe('healthCheck() options are validated once, at construction', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not an object', null, /options must be an object/],
    ['an unknown option', { path: '/x' }, /unknown option "path"/],
    ['a negative timeout', { timeoutMs: -1 }, /timeoutMs must be a number of milliseconds/],
    ['an infinite cache TTL', { cacheTtlMs: Number.POSITIVE_INFINITY }, /cacheTtlMs/],
    ['a bad report timeout', { reportTimeoutMs: '3s' }, /reportTimeoutMs/],
    ['a bad anonymous level', { anonymous: 'full' }, /anonymous must be 'status' or 'checks'/],
    ['a bad details policy', { details: 'yes' }, /details must be a boolean or a function/],
    ['a bad clock', { now: 5 }, /now must be a function/],
    ['paths that are not an object', { paths: '/health' }, /paths must be an object/],
    ['an unknown path kind', { paths: { status: '/status' } }, /paths has unknown key "status"/],
    ['a relative path', { paths: { live: 'health' } }, /paths.live must be a path/],
    ['a path with a query', { paths: { live: '/health?x' } }, /paths.live must be a path/],
    ['the same path twice', { paths: { live: '/health' } }, /repeats the path/],
    ['an empty serviceId', { serviceId: '' }, /serviceId must be a non-empty string/],
    ['checks that are not an object', { checks: 'db' }, /checks must be an object or an array/],
    [
      'a check that is neither function nor object',
      { checks: { db: 42 } },
      /must be a function or a definition/,
    ],
    ['an unnamed check in an array', { checks: [{ check: pass }] }, /needs a name/],
    ['a definition without a function', { checks: { db: { critical: true } } }, /must have a check function/],
    [
      'a definition with an unknown field',
      { checks: { db: { check: pass, timeout: 5 } } },
      /unknown field "timeout"/,
    ],
    [
      'a non-boolean critical',
      { checks: { db: { check: pass, critical: 'no' } } },
      /critical must be a boolean/,
    ],
    [
      'a non-string componentType',
      { checks: { db: { check: pass, componentType: 1 } } },
      /componentType must be a string/,
    ],
    ['a bad warnAboveMs', { checks: { db: { check: pass, warnAboveMs: -5 } } }, /warnAboveMs/],
    [
      'two checks with one name',
      {
        checks: [
          { name: 'db', check: pass },
          { name: 'db', check: pass },
        ],
      },
      /two checks are named "db"/,
    ],
  ]
  it.each(cases)('rejects %s', (_name, options, message) => {
    expect(() => healthCheck(options as HealthCheckOptions)).toThrow(message)
    expect(() => healthCheck(options as HealthCheckOptions)).toThrow(TypeError)
  })
})
