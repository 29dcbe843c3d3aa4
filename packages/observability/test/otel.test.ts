// The OpenTelemetry adapter uses only @opentelemetry/api; here an SDK provider with an in-memory exporter
// (tests only) records what it produces.

import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import { describe, expect, it } from '@jest/globals'
import { jwtAuth } from '@lift/auth-jwt'
import { apiGatewayV2Event, createTestIssuer, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import { captureAwsClient, observability } from '../src/index'
import { openTelemetryTracer } from '../src/otel'
import { captureOutput } from './support/capture'
import { startDynamoDbStandIn } from './support/dynamodb-stand-in'

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

describe('captureAwsClient with OpenTelemetry', () => {
  it('one CLIENT span per SDK call, child of the invocation span, context propagated', async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] })
    // A minimal W3C propagator (the application's choice; Lift registers none).
    propagation.setGlobalPropagator({
      inject: (context, carrier, setter) => {
        const span = trace.getSpanContext(context)
        if (span) setter.set(carrier, 'traceparent', `00-${span.traceId}-${span.spanId}-01`)
      },
      extract: (context) => context,
      fields: () => ['traceparent'],
    })
    const dynamo = await startDynamoDbStandIn()
    const client = captureAwsClient(dynamo.client)
    const handler = middy()
      .use(
        observability({
          logger: new Logger(),
          metrics: new Metrics(),
          tracer: openTelemetryTracer({ tracer: provider.getTracer('test') }),
        }),
      )
      .handler(async () => {
        await client.send(new ListTablesCommand({}))
        await expect(client.send(new DescribeTableCommand({ TableName: 'missing' }))).rejects.toThrow()
        return { statusCode: 200, body: 'ok' }
      })
    const out = captureOutput()
    try {
      await handler(apiGatewayV2Event({ routeKey: 'GET /tables' }), lambdaContext())
    } finally {
      out.restore()
      propagation.disable()
      await dynamo.close()
    }
    const spans = exporter.getFinishedSpans()
    const invocation = spans.find((span) => span.name === 'GET /tables')!
    const [list, describe] = spans.filter((span) => span.kind === SpanKind.CLIENT)
    expect(list).toMatchObject({ name: 'DynamoDB.ListTables' })
    expect(list!.attributes).toEqual({
      'rpc.system': 'aws-api',
      'rpc.service': 'DynamoDB',
      'rpc.method': 'ListTables',
      'cloud.region': 'eu-west-1',
      'aws.request_id': 'request-1',
      'http.response.status_code': 200,
      'aws.attempts': 1,
    })
    expect(list!.status.code).not.toBe(SpanStatusCode.ERROR)
    expect(describe!.status.code).toBe(SpanStatusCode.ERROR)
    expect(describe!.events.map((event) => event.name)).toEqual(['exception'])
    for (const span of [list!, describe!]) {
      expect(span.parentSpanContext?.spanId).toBe(invocation.spanContext().spanId)
      expect(span.spanContext().traceId).toBe(invocation.spanContext().traceId)
    }
    expect(dynamo.requests.map((headers) => headers.traceparent)).toEqual([
      `00-${list!.spanContext().traceId}-${list!.spanContext().spanId}-01`,
      `00-${describe!.spanContext().traceId}-${describe!.spanContext().spanId}-01`,
    ])
  })

  it('with the tracer off, calls go through untouched', async () => {
    const dynamo = await startDynamoDbStandIn()
    const client = captureAwsClient(dynamo.client)
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics() }))
      .handler(async () => {
        await client.send(new ListTablesCommand({}))
        return { statusCode: 200, body: 'ok' }
      })
    const out = captureOutput()
    try {
      await expect(handler(apiGatewayV2Event(), lambdaContext())).resolves.toMatchObject({ statusCode: 200 })
    } finally {
      out.restore()
      await dynamo.close()
    }
    expect(dynamo.requests).toHaveLength(1)
    expect(dynamo.requests[0]!.traceparent).toBeUndefined()
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
