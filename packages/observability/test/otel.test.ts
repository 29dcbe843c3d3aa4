// The OpenTelemetry adapter uses only @opentelemetry/api; here an SDK provider with an in-memory exporter
// (tests only) records what it produces.

import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { describe, expect, it } from '@jest/globals'
import { jwtAuth } from '@lift/auth-jwt'
import { apiGatewayV2Event, createTestIssuer, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { observability } from '../src/index'
import { openTelemetryTracer } from '../src/otel'
import { captureOutput } from './support/capture'

process.env.POWERTOOLS_METRICS_NAMESPACE = 'LiftTest'

describe('openTelemetryTracer', () => {
  it('one SERVER span per invocation named after the route, with tenant, principal and outcome', async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
    const issuer = await createTestIssuer({ alg: 'HS256', audience: 'api' })
    let fail = false
    const handler = middy()
      .use(
        observability({
          logger: new Logger(),
          metrics: new Metrics(),
          tracer: openTelemetryTracer({
            tracer: provider.getTracer('test'),
            attributes: { 'cloud.region': 'eu-west-1' },
          }),
        }),
      )
      .use(httpErrorHandler({ logger: false }))
      .use(
        jwtAuth({
          issuers: [
            {
              issuer: issuer.issuer,
              audience: 'api',
              algorithms: ['HS256'],
              secret: issuer.secret,
              tenantId: 'acme',
            },
          ],
          credentialsOptional: true,
        }),
      )
      .handler(async () => {
        if (fail) throw new Error('boom password=hunter2-long')
        return { statusCode: 200, body: 'ok' }
      })
    const token = await issuer.sign({ sub: 'ada' })
    const out = captureOutput()
    try {
      await handler(
        apiGatewayV2Event({ routeKey: 'GET /orders', headers: { authorization: `Bearer ${token}` } }),
        lambdaContext(),
      )
      fail = true
      await handler(apiGatewayV2Event({ routeKey: 'GET /orders' }), lambdaContext())
    } finally {
      out.restore()
    }
    const [ok, failed] = exporter.getFinishedSpans()
    expect(ok).toMatchObject({ name: 'GET /orders', kind: SpanKind.SERVER })
    expect(ok!.attributes).toMatchObject({
      'faas.coldstart': true,
      'http.route': 'GET /orders',
      'cloud.region': 'eu-west-1',
      'lift.tenant': 'acme',
      'lift.principal': 'ada',
      'lift.outcome': 'success',
    })
    expect(failed!.attributes).toMatchObject({ 'faas.coldstart': false, 'lift.outcome': 'server_error' })
    expect(failed!.status.code).toBe(SpanStatusCode.ERROR)
    expect(failed!.events.map((event) => event.name)).toEqual(['exception'])
    expect(JSON.stringify(failed!.events)).not.toContain('hunter2-long')
  })

  it('without a registered provider it costs nothing and breaks nothing (no-op spans)', async () => {
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics(), tracer: openTelemetryTracer() }))
      .handler(async () => ({ statusCode: 200, body: 'ok' }))
    const out = captureOutput()
    try {
      await expect(handler(apiGatewayV2Event(), lambdaContext())).resolves.toMatchObject({ statusCode: 200 })
    } finally {
      out.restore()
    }
  })
})

describe('tracer: true', () => {
  it('makes a Powertools Tracer from the environment on first use (disabled outside Lambda)', async () => {
    const handler = middy()
      .use(
        observability({ logger: new Logger(), metrics: new Metrics(), tracer: true, serviceName: 'orders' }),
      )
      .handler(async () => ({ statusCode: 200, body: 'ok' }))
    const out = captureOutput()
    try {
      await expect(handler(apiGatewayV2Event(), lambdaContext())).resolves.toMatchObject({ statusCode: 200 })
    } finally {
      out.restore()
    }
  })
})
