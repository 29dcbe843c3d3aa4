// @lift/observability: logs, metrics and audit per invocation, against the bare handler and against the raw
// Powertools middlewares (injectLambdaContext + logMetrics + captureLambdaHandler, tracer disabled) doing the
// same logging and metrics.
import { Logger } from '@aws-lambda-powertools/logger'
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics'
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
import { Tracer } from '@aws-lambda-powertools/tracer'
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware'
import { observability } from '@lift/observability'
import { httpRequestView } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy, { type MiddlewareObj } from '@middy/core'
import { type BenchGroup, invocationEvent, runSuite } from '../harness'

process.env.POWERTOOLS_SERVICE_NAME = 'orders'
process.env.POWERTOOLS_METRICS_NAMESPACE = 'Bench'
// Tracing off on both sides: X-Ray segments are not what this compares (Lift's default is no tracer).
process.env.POWERTOOLS_TRACE_ENABLED = 'false'
// Powertools writes each line to stdout: discard them so the terminal is not what is measured (the
// harness's own report goes to stdout too, so the summary is repeated on stderr below).
process.stdout.write = (() => true) as typeof process.stdout.write

const context = lambdaContext()
const ok = { statusCode: 200, body: '' }
const event = apiGatewayV2Event({
  routeKey: 'GET /orders/{id}',
  path: '/orders/42',
  headers: { 'x-correlation-id': 'bench-correlation-1' },
})
const expect200 = (result: unknown) => {
  if ((result as { statusCode?: number }).statusCode !== 200)
    throw new Error(`expected 200, got ${JSON.stringify(result)}`)
}

function handlerLogging(logger: Logger) {
  return async () => {
    logger.info('handled')
    return { ...ok }
  }
}

/** What Lift does per request, written with the raw Powertools middlewares and a few lines of glue. */
function rawPowertools() {
  const logger = new Logger()
  const metrics = new Metrics()
  const tracer = new Tracer()
  const glue: MiddlewareObj = {
    before: (request) => {
      const view = httpRequestView(request.event)
      logger.appendKeys({
        correlation_id: view.header('x-correlation-id') ?? 'generated',
        route: view.routeKey ?? 'other',
      })
      ;(request.internal as Record<string, unknown>).start = performance.now()
    },
    after: (request) => {
      const view = httpRequestView(request.event)
      const status = (request.response as { statusCode: number }).statusCode
      ;(request.response as { headers?: Record<string, string> }).headers = {
        'x-correlation-id': view.header('x-correlation-id') ?? 'generated',
      }
      metrics.addDimensions({ route: view.routeKey ?? 'other', statusClass: `${Math.floor(status / 100)}xx` })
      metrics.addMetric(
        'Latency',
        MetricUnit.Milliseconds,
        performance.now() - ((request.internal as Record<string, number>).start ?? 0),
      )
      metrics.addMetric('Requests', MetricUnit.Count, 1)
      metrics.addMetric('Errors', MetricUnit.Count, 0)
    },
  }
  return middy()
    .use(captureLambdaHandler(tracer))
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(glue)
    .handler(handlerLogging(logger))
}

function lift(audit: boolean) {
  const logger = new Logger()
  return middy()
    .use(observability({ logger, metrics: new Metrics(), audit }))
    .handler(handlerLogging(logger))
}

const bare = middy().handler(async () => ({ ...ok }))
// The floor: the handler's log line and one EMF record with the three metrics, serialized and written.
const discard = process.stdout.write
const limit = middy().handler(async () => {
  discard(
    `${JSON.stringify({ level: 'INFO', message: 'handled', timestamp: new Date().toISOString(), correlation_id: 'bench-correlation-1', function_request_id: context.awsRequestId })}\n`,
  )
  discard(
    `${JSON.stringify({
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: 'Bench',
            Dimensions: [['service', 'route', 'statusClass']],
            Metrics: [
              { Name: 'Latency', Unit: 'Milliseconds' },
              { Name: 'Requests', Unit: 'Count' },
              { Name: 'Errors', Unit: 'Count' },
            ],
          },
        ],
      },
      service: 'orders',
      route: 'GET /orders/{id}',
      statusClass: '2xx',
      Latency: 0.1,
      Requests: 1,
      Errors: 0,
    })}\n`,
  )
  return { ...ok, headers: { 'x-correlation-id': 'bench-correlation-1' } }
})
const raw = rawPowertools()
const liftPlain = lift(false)
const liftAudit = lift(true)

const groups: BenchGroup[] = [
  {
    name: 'one log line + request metrics per invocation',
    baseline: {
      name: 'bare Middy handler',
      run: () => bare(invocationEvent(event), context),
      check: expect200,
    },
    limit: {
      name: 'limit: one log line and one EMF record, serialized and written',
      run: () => limit(invocationEvent(event), context),
      check: expect200,
    },
    cases: [
      {
        name: 'Lift observability()',
        run: () => liftPlain(invocationEvent(event), context),
        check: expect200,
      },
      {
        name: 'Lift observability({ audit: true }), no security events',
        run: () => liftAudit(invocationEvent(event), context),
        check: expect200,
      },
      {
        name: 'Powertools injectLambdaContext + logMetrics + captureLambdaHandler + glue',
        peer: true,
        run: () => raw(invocationEvent(event), context),
        check: expect200,
      },
    ],
  },
]

const result = await runSuite({
  name: 'observability',
  description:
    'Per invocation: the Lambda context and a correlation id on the log lines, one log line from the handler, ' +
    'Latency/Requests/Errors as EMF with route and status class, the correlation id returned. Lift ' +
    '`observability()` (with and without audit; tracer off) against the raw Powertools middlewares ' +
    '(`injectLambdaContext` + `logMetrics` + `captureLambdaHandler` with POWERTOOLS_TRACE_ENABLED=false, and the ' +
    'glue to do the same) and the bare Middy handler. Output discarded. The limit serializes and writes the ' +
    'one log line and the one EMF record by hand.',
  groups,
})

for (const row of result.cases)
  process.stderr.write(
    `${row.name}: median ${(row.medianNs / 1000).toFixed(2)} µs (× ${row.ratioToBaseline.toFixed(2)} bare)\n`,
  )
