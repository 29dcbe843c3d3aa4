import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { LiftHttpError } from '@lift/security-core'
import { apiGatewayV2Event, eventBridgeEvent, lambdaContext, sqsEvent } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { observability } from '../src/index'
import { type Captured, captureOutput } from './support/capture'

let out: Captured
const savedEnv = { ...process.env }

beforeAll(() => {
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'LiftTest'
  process.env.POWERTOOLS_SERVICE_NAME = 'orders'
  // Powertools reports a cold start only for on-demand initialization, as Lambda sets it.
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand'
})
afterAll(() => {
  process.env = savedEnv
})
afterEach(() => out?.restore())

function stack(
  options: Parameters<typeof observability>[0] = {},
  handler: () => Promise<unknown> = async () => ({ statusCode: 200, body: 'ok' }),
) {
  return middy()
    .use(observability({ logger: new Logger(), metrics: new Metrics(), ...options }))
    .use(httpErrorHandler({ logger: false }))
    .handler(handler)
}

describe('logs', () => {
  it('every line carries the Lambda context, cold start, correlation id and route; the id is returned', async () => {
    const logger = new Logger()
    const handler = middy()
      .use(observability({ logger, metrics: new Metrics() }))
      .handler(async () => {
        logger.info('handling')
        return { statusCode: 200, body: 'ok' }
      })
    out = captureOutput()
    const event = apiGatewayV2Event({
      method: 'GET',
      path: '/items/7',
      routeKey: 'GET /items/{id}',
      headers: { 'x-correlation-id': 'abc-123' },
    })
    const response = (await handler(event, lambdaContext())) as { headers: Record<string, string> }
    out.restore()
    expect(response.headers['x-correlation-id']).toBe('abc-123')
    const line = out.logs().find((l) => l.message === 'handling')!
    expect(line).toMatchObject({
      correlation_id: 'abc-123',
      route: 'GET /items/{id}',
      cold_start: true,
      function_name: expect.any(String),
    })
  })

  it('debug sampling (sampleRateValue, POWERTOOLS_LOGGER_SAMPLE_RATE) is decided per invocation, as injectLambdaContext does', async () => {
    const logger = new Logger({ sampleRateValue: 0.5 })
    const handler = middy()
      .use(observability({ logger, metrics: new Metrics(), requestMetrics: false }))
      .handler(async () => {
        logger.debug('detail')
        return { statusCode: 200, body: 'ok' }
      })
    out = captureOutput()
    for (let i = 0; i < 60; i++) await handler(apiGatewayV2Event(), lambdaContext())
    out.restore()
    const sampled = out.logs().filter((line) => line.message === 'detail').length
    // All or none would mean one decision per container (2 × 0.5^60 by chance).
    expect(sampled).toBeGreaterThan(0)
    expect(sampled).toBeLessThan(60)
  })
})

describe('correlation id', () => {
  it('takes x-request-id when there is no x-correlation-id, and generates one when both are unsafe', async () => {
    const handler = stack()
    out = captureOutput()
    const fromRequestId = (await handler(
      apiGatewayV2Event({ headers: { 'x-request-id': 'req-9' } }),
      lambdaContext(),
    )) as {
      headers: Record<string, string>
    }
    const unsafe = ['x'.repeat(129), 'abc def', 'a\r\nset-cookie: x=1', '<script>']
    const generated: string[] = []
    for (const value of unsafe) {
      const response = (await handler(
        apiGatewayV2Event({ headers: { 'x-correlation-id': value } }),
        lambdaContext(),
      )) as {
        headers: Record<string, string>
      }
      generated.push(response.headers['x-correlation-id']!)
    }
    out.restore()
    expect(fromRequestId.headers['x-correlation-id']).toBe('req-9')
    for (const id of generated) expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(new Set(generated).size).toBe(unsafe.length)
    expect(out.lines.join('\n')).not.toContain('<script>')
  })
})

describe('errors', () => {
  it('logs one error line per failed invocation, with the class and a redacted message, and counts it', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
    const handler = stack({}, async () => {
      throw new TypeError(`cannot read the token ${jwt} for Bearer abc.def`)
    })
    out = captureOutput()
    const response = (await handler(
      apiGatewayV2Event({ routeKey: 'POST /orders', method: 'POST', path: '/orders' }),
      lambdaContext(),
    )) as {
      statusCode: number
    }
    out.restore()
    expect(response.statusCode).toBe(500)
    const errors = out.logs().filter((line) => line.level === 'ERROR')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({
      message: 'invocation failed',
      error: { name: 'TypeError' },
      statusCode: 500,
    })
    expect(out.lines.join('\n')).not.toContain(jwt)
    expect(out.lines.join('\n')).not.toContain('abc.def')
    const emf = out.emf().find((blob) => 'Latency' in blob)!
    expect(emf).toMatchObject({ route: 'POST /orders', statusClass: '5xx', Errors: 1, Requests: 1 })
  })

  it('a 5xx error line carries the redacted stack and cause chain; the response is problem+json without them', async () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
    const root = new Error(`connect ECONNREFUSED token=${jwt}`)
    const middle = new Error('store unavailable', { cause: root })
    const handler = stack({}, async function loadOrder() {
      throw new TypeError('cannot load the order', { cause: middle })
    })
    out = captureOutput()
    const response = (await handler(apiGatewayV2Event(), lambdaContext())) as {
      statusCode: number
      headers: Record<string, string>
      body: string
    }
    out.restore()
    const [line] = out.logs().filter((l) => l.level === 'ERROR')
    const error = line!.error as { stack: string; cause: { cause: { message: string; stack: string } } }
    expect(error).toMatchObject({ name: 'TypeError', message: 'cannot load the order' })
    expect(error.stack).toContain('loadOrder')
    expect(error.stack).toContain('observability.test.ts')
    expect(error.cause).toMatchObject({ name: 'Error', message: 'store unavailable' })
    expect(error.cause.cause.message).toBe('connect ECONNREFUSED token=[REDACTED]')
    expect(error.cause.cause.stack).toContain('ECONNREFUSED')
    expect(out.lines.join('\n')).not.toContain(jwt)
    expect(response.statusCode).toBe(500)
    expect(response.headers['Content-Type']).toBe('application/problem+json')
    expect(JSON.parse(response.body)).toEqual({
      type: 'about:blank',
      title: 'Internal Server Error',
      status: 500,
      code: 'internal-error',
      detail: 'The server could not complete the request.',
    })
    expect(response.body).not.toMatch(/loadOrder|store unavailable|ECONNREFUSED|at /)
  })

  it('a 5xx that already has a body keeps it; a bodiless 503 becomes a problem+json 503', async () => {
    const withBody = stack({}, async () => ({ statusCode: 502, body: 'upstream' }))
    const bodiless = stack({}, async () => ({ statusCode: 503, headers: { 'Retry-After': '5' } }))
    out = captureOutput()
    const kept = (await withBody(apiGatewayV2Event(), lambdaContext())) as { body: string }
    const rendered = (await bodiless(apiGatewayV2Event(), lambdaContext())) as {
      headers: Record<string, string>
      body: string
    }
    out.restore()
    expect(kept.body).toBe('upstream')
    expect(rendered.headers).toMatchObject({ 'Retry-After': '5', 'Content-Type': 'application/problem+json' })
    expect(JSON.parse(rendered.body)).toMatchObject({ status: 503, code: 'service-unavailable' })
  })

  it('a thrown error nobody handles is still flushed and logged once, then rethrown', async () => {
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics() }))
      .handler(async () => {
        throw new RangeError('boom')
      })
    out = captureOutput()
    await expect(handler(apiGatewayV2Event(), lambdaContext())).rejects.toThrow('boom')
    out.restore()
    expect(out.logs().filter((line) => line.level === 'ERROR')).toHaveLength(1)
    expect(out.emf().find((blob) => 'Latency' in blob)).toMatchObject({ statusClass: '5xx', Errors: 1 })
  })

  it('a 4xx is not a failure: no error line, Errors 0', async () => {
    const handler = stack({}, async () => {
      throw new LiftHttpError(404, { code: 'not-found' })
    })
    out = captureOutput()
    await handler(apiGatewayV2Event(), lambdaContext())
    out.restore()
    expect(out.logs().filter((line) => line.level === 'ERROR')).toHaveLength(0)
    expect(out.emf().find((blob) => 'Latency' in blob)).toMatchObject({ statusClass: '4xx', Errors: 0 })
  })
})

describe('metrics (EMF)', () => {
  it('one blob per request: Latency, Requests, Errors by service, route and status class; valid EMF', async () => {
    const { emfErrors } = await import('./support/emf-schema')
    const handler = stack()
    out = captureOutput()
    await handler(apiGatewayV2Event({ routeKey: 'GET /items/{id}', path: '/items/1' }), lambdaContext())
    await handler(apiGatewayV2Event({ routeKey: 'GET /items/{id}', path: '/items/2' }), lambdaContext())
    await handler(apiGatewayV2Event({ path: '/whatever' }), lambdaContext())
    out.restore()
    const blobs = out.emf()
    expect(blobs.length).toBeGreaterThanOrEqual(3)
    for (const blob of blobs) expect(emfErrors(blob)).toEqual([])
    const requests = blobs.filter((blob) => 'Latency' in blob)
    expect(requests.map((blob) => blob.route)).toEqual(['GET /items/{id}', 'GET /items/{id}', 'other'])
    for (const blob of requests) {
      expect(blob).toMatchObject({ service: 'orders', statusClass: '2xx', Requests: 1, Errors: 0 })
      expect(typeof blob.Latency).toBe('number')
      expect(
        (blob._aws as { CloudWatchMetrics: { Dimensions: string[][] }[] }).CloudWatchMetrics[0]!.Dimensions,
      ).toEqual([['service', 'route', 'statusClass']])
    }
  })

  it('caps the tenant dimension per container: further tenants fold into other', async () => {
    const { jwtAuth } = await import('@lift/auth-jwt')
    const { createTestIssuer } = await import('@lift/testing')
    const issuer = await createTestIssuer({ alg: 'HS256', audience: 'api' })
    const handler = middy()
      .use(
        observability({
          logger: new Logger(),
          metrics: new Metrics(),
          requestMetrics: { tenantDimension: { maxTenants: 2 } },
        }),
      )
      .use(httpErrorHandler({ logger: false }))
      .use(
        jwtAuth({
          issuers: [{ issuer: issuer.issuer, audience: 'api', algorithms: ['HS256'], secret: issuer.secret }],
          tenant: { claim: 'tid' },
        }),
      )
      .handler(async () => ({ statusCode: 200, body: 'ok' }))
    out = captureOutput()
    for (const tid of ['t1', 't2', 't3', 't1', 't4']) {
      const token = await issuer.sign({ sub: 'u', tid })
      await handler(apiGatewayV2Event({ headers: { authorization: `Bearer ${token}` } }), lambdaContext())
    }
    out.restore()
    const tenants = out
      .emf()
      .filter((blob) => 'Latency' in blob)
      .map((blob) => blob.tenant)
    expect(tenants).toEqual(['t1', 't2', 'other', 't1', 'other'])
  })

  it('tenant ids and event types that CloudWatch refuses as dimension values fold into other, taking no tenant slot', async () => {
    const { emfErrors } = await import('./support/emf-schema')
    const { jwtAuth } = await import('@lift/auth-jwt')
    const { createTestIssuer } = await import('@lift/testing')
    const issuer = await createTestIssuer({ alg: 'HS256', audience: 'api' })
    const handler = middy()
      .use(
        observability({
          logger: new Logger(),
          metrics: new Metrics(),
          requestMetrics: { tenantDimension: { maxTenants: 1 } },
        }),
      )
      .use(httpErrorHandler({ logger: false }))
      .use(
        jwtAuth({
          issuers: [{ issuer: issuer.issuer, audience: 'api', algorithms: ['HS256'], secret: issuer.secret }],
          tenant: { claim: 'tid' },
        }),
      )
      .handler(async () => ({ statusCode: 200, body: 'ok' }))
    const refused = ['münchen-gmbh', 'acme\nforged', ' ', 'x'.repeat(1025)]
    out = captureOutput()
    for (const tid of [...refused, 'acme']) {
      const token = await issuer.sign({ sub: 'u', tid })
      await handler(apiGatewayV2Event({ headers: { authorization: `Bearer ${token}` } }), lambdaContext())
    }
    const events = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics() }))
      .handler(async () => ({}))
    await events(
      eventBridgeEvent({ detailType: 'Bestellung eingegangen ✓', source: 'shop' }),
      lambdaContext(),
    )
    out.restore()
    const blobs = out.emf().filter((blob) => 'Latency' in blob)
    for (const blob of blobs) expect(emfErrors(blob)).toEqual([])
    expect(blobs.map((blob) => blob.tenant)).toEqual(['other', 'other', 'other', 'other', 'acme', undefined])
    expect(blobs.at(-1)).toMatchObject({ route: 'other' })
  })

  it('non-HTTP invocations are measured and logged by event source, without HTTP fields', async () => {
    const logger = new Logger()
    let fail = false
    const handler = middy()
      .use(observability({ logger, metrics: new Metrics() }))
      .handler(async () => {
        logger.info('processing')
        if (fail) throw new Error('queue poison')
        return { batchItemFailures: [] }
      })
    out = captureOutput()
    const sqs = sqsEvent({ records: [{ body: '{}' }] })
    const result = await handler(sqs, lambdaContext())
    await handler(eventBridgeEvent({ detailType: 'Scheduled Event', source: 'aws.events' }), lambdaContext())
    await handler(eventBridgeEvent({ detailType: 'OrderPlaced', source: 'shop' }), lambdaContext())
    fail = true
    await expect(handler(sqs, lambdaContext())).rejects.toThrow('queue poison')
    out.restore()
    expect(result).toEqual({ batchItemFailures: [] })
    const blobs = out.emf().filter((blob) => 'Latency' in blob)
    expect(blobs.map((blob) => [blob.route, blob.statusClass])).toEqual([
      [expect.stringMatching(/^sqs:/), 'ok'],
      [expect.stringMatching(/^schedule:/), 'ok'],
      ['events:OrderPlaced', 'ok'],
      [expect.stringMatching(/^sqs:/), 'error'],
    ])
    expect(blobs[3]).toMatchObject({ Errors: 1 })
    const processing = out.logs().filter((line) => line.message === 'processing')
    expect(processing).toHaveLength(4)
    for (const line of processing) expect(line.correlation_id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('reports ColdStart once per container', async () => {
    const metrics = new Metrics()
    const handler = stack({ metrics })
    out = captureOutput()
    await handler(apiGatewayV2Event(), lambdaContext())
    await handler(apiGatewayV2Event(), lambdaContext())
    out.restore()
    expect(out.emf().filter((blob) => 'ColdStart' in blob)).toHaveLength(1)
  })

  it('health answers (early return) are measured too', async () => {
    const { healthCheck } = await import('@lift/health')
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics() }))
      .use(healthCheck({}))
      .handler(async () => ({ statusCode: 200, body: 'business' }))
    out = captureOutput()
    const response = (await handler(
      apiGatewayV2Event({ path: '/health/live', routeKey: 'GET /health/live' }),
      lambdaContext(),
    )) as {
      statusCode: number
      headers: Record<string, string>
    }
    out.restore()
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-correlation-id']).toBeDefined()
    expect(out.emf().find((blob) => 'Latency' in blob)).toMatchObject({
      route: 'GET /health/live',
      statusClass: '2xx',
    })
  })

  it("a handler metric that clashes with Lift's (Latency in Seconds) does not turn the answer into a 500; a warning names it", async () => {
    const metrics = new Metrics()
    const logger = new Logger()
    const handler = middy()
      .use(observability({ logger, metrics }))
      .use(httpErrorHandler({ logger: false }))
      .handler(async () => {
        metrics.addMetric('Latency', 'Seconds', 1.5)
        return { statusCode: 200, body: 'ok' }
      })
    out = captureOutput()
    const response = (await handler(apiGatewayV2Event(), lambdaContext())) as {
      statusCode: number
      headers: Record<string, string>
    }
    logger.info('after')
    out.restore()
    expect(response.statusCode).toBe(200)
    expect(response.headers['x-correlation-id']).toBeDefined()
    const warning = out.logs().find((line) => line.level === 'WARN')
    expect(warning).toMatchObject({
      message: 'request metrics not published',
      error: { message: expect.stringContaining('Latency') },
    })
    // The invocation still ends: a line after it carries none of its keys.
    expect(out.logs().find((line) => line.message === 'after')).not.toHaveProperty('correlation_id')
  })

  it('requestMetrics: false publishes no request metrics', async () => {
    const handler = stack({ requestMetrics: false })
    out = captureOutput()
    await handler(apiGatewayV2Event(), lambdaContext())
    out.restore()
    expect(out.emf().filter((blob) => 'Latency' in blob)).toHaveLength(0)
  })
})

describe('options', () => {
  it.each([
    [{ correlationIdHeader: [] }, 'correlationIdHeader'],
    [{ correlationIdHeader: 'bad header' }, 'correlationIdHeader'],
    [{ correlationIdMaxLength: 4 }, 'correlationIdMaxLength'],
    [{ audit: 'yes' }, 'audit'],
    [{ requestMetrics: 'yes' }, 'requestMetrics'],
    [{ requestMetrics: { tenantDimension: { maxTenants: 0 } } }, 'maxTenants'],
    [{ redact: [''] }, 'redact'],
    [{ now: 1 }, 'now'],
    [{ logEvent: 'yes' }, 'logEvent'],
    [{ tracer: 'xray' }, 'tracer'],
    [{ colour: 'blue' }, 'unknown option'],
  ])('refuses %j at construction', (options, message) => {
    expect(() => observability(options as never)).toThrow(message)
  })

  it('refuses a non-object', () => {
    expect(() => observability(null as never)).toThrow('options must be an object')
  })
})
