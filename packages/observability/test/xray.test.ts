// X-Ray through Powertools Tracer, for real: segments are caught on a UDP socket on 127.0.0.1 standing in
// for the X-Ray daemon, parsed from the daemon protocol (a JSON header line, then the segment document).
import { createSocket, type Socket } from 'node:dgram'
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { DescribeTableCommand, ListTablesCommand, ScanCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { LiftHttpError } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { captureAwsClient, observability } from '../src/index'
import { captureOutput } from './support/capture'
import { startDynamoDbStandIn } from './support/dynamodb-stand-in'

interface SegmentDocument {
  name: string
  id?: string
  parent_id?: string
  namespace?: string
  aws?: Record<string, unknown>
  http?: { response?: { status?: number } }
  throttle?: boolean
  subsegments?: SegmentDocument[]
  annotations?: Record<string, unknown>
  error?: boolean
  fault?: boolean
  cause?: { exceptions?: { message?: string; type?: string; stack?: unknown }[] }
  trace_id?: string
}

let daemon: Socket
const received: SegmentDocument[] = []
const savedEnv = { ...process.env }
const savedTraceHeader = 'Root=1-6749b1c8-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1'

beforeAll(async () => {
  daemon = createSocket('udp4')
  daemon.on('message', (message) => {
    const [header, body] = message.toString('utf8').split('\n')
    expect(JSON.parse(header!)).toEqual({ format: 'json', version: 1 })
    received.push(JSON.parse(body!) as SegmentDocument)
  })
  await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve))
  Object.assign(process.env, {
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: 'orders',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: '/var/task',
    _HANDLER: 'index.handler',
    _X_AMZN_TRACE_ID: savedTraceHeader,
    AWS_XRAY_DAEMON_ADDRESS: `127.0.0.1:${daemon.address().port}`,
    AWS_XRAY_CONTEXT_MISSING: 'IGNORE_ERROR',
    POWERTOOLS_SERVICE_NAME: 'orders',
    POWERTOOLS_METRICS_NAMESPACE: 'LiftTest',
  })
})

afterAll(async () => {
  process.env = savedEnv
  await new Promise<void>((resolve) => daemon.close(() => resolve()))
})

async function segmentsAfter(count: number): Promise<SegmentDocument[]> {
  for (let i = 0; i < 100 && received.length < count; i++) await new Promise((r) => setTimeout(r, 10))
  return received.splice(0, received.length)
}

describe('X-Ray (Powertools Tracer)', () => {
  it('sends a handler subsegment with Lift annotations; 4xx sets error, a thrown error sets fault', async () => {
    const { Tracer } = await import('@aws-lambda-powertools/tracer')
    const tracer = new Tracer()
    let mode: 'ok' | '4xx' | 'throw' = 'ok'
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics(), tracer }))
      .use(httpErrorHandler({ logger: false }))
      .handler(async () => {
        if (mode === '4xx') throw new LiftHttpError(403, { code: 'forbidden' })
        if (mode === 'throw') throw new Error('database down token=s3cr3t-value')
        return { statusCode: 200, body: 'ok' }
      })
    const out = captureOutput()
    try {
      await handler(apiGatewayV2Event({ routeKey: 'GET /orders' }), lambdaContext())
      const [ok] = await segmentsAfter(1)
      mode = '4xx'
      await handler(apiGatewayV2Event({ routeKey: 'GET /orders' }), lambdaContext())
      const [clientError] = await segmentsAfter(1)
      mode = 'throw'
      await handler(apiGatewayV2Event({ routeKey: 'GET /orders' }), lambdaContext())
      const [fault] = await segmentsAfter(1)

      expect(ok).toMatchObject({
        name: '## index.handler',
        trace_id: '1-6749b1c8-0123456789abcdef01234567',
        annotations: { ColdStart: true, Service: 'orders', route: 'GET /orders', outcome: 'success' },
      })
      expect(ok!.error).toBeUndefined()
      expect(ok!.fault).toBeUndefined()
      expect(clientError).toMatchObject({
        error: true,
        annotations: { outcome: 'client_error', ColdStart: false },
      })
      expect(fault).toMatchObject({ fault: true, annotations: { outcome: 'server_error' } })
      expect(JSON.stringify(fault)).not.toContain('s3cr3t-value')
    } finally {
      out.restore()
    }
  })

  it('captureAwsClient: one aws subsegment per SDK call under the handler subsegment, trace header sent', async () => {
    const { Tracer } = await import('@aws-lambda-powertools/tracer')
    const dynamo = await startDynamoDbStandIn()
    const client = captureAwsClient(captureAwsClient(dynamo.client))
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics(), tracer: new Tracer() }))
      .handler(async () => {
        await client.send(new ListTablesCommand({}))
        await expect(client.send(new DescribeTableCommand({ TableName: 'missing' }))).rejects.toThrow()
        await expect(client.send(new ScanCommand({ TableName: 'busy' }))).rejects.toThrow()
        return { statusCode: 200, body: 'ok' }
      })
    const out = captureOutput()
    try {
      await client.send(new ListTablesCommand({})) // outside any invocation: not traced, no header
      await handler(apiGatewayV2Event({ routeKey: 'GET /tables' }), lambdaContext())
      for (let i = 0; i < 100 && !received.some((doc) => doc.name === '## index.handler'); i++)
        await new Promise((resolve) => setTimeout(resolve, 10))
      const documents = received.splice(0, received.length)
      const flat = (docs: SegmentDocument[]): SegmentDocument[] =>
        docs.flatMap((doc) => [doc, ...flat(doc.subsegments ?? [])])
      const all = flat(documents)
      const handlerSegment = all.find((doc) => doc.name === '## index.handler')!
      const calls = all.filter((doc) => doc.namespace === 'aws')
      expect(calls.map((doc) => doc.aws?.operation)).toEqual(['ListTables', 'DescribeTable', 'Scan'])
      const [list, describe, scan] = calls
      expect(list).toMatchObject({
        name: 'DynamoDB',
        aws: { region: 'eu-west-1', request_id: 'request-2', retries: 0 },
        http: { response: { status: 200 } },
      })
      expect(list!.error).toBeUndefined()
      expect(list!.fault).toBeUndefined()
      expect(describe).toMatchObject({ error: true, http: { response: { status: 400 } } })
      expect(describe!.cause?.exceptions?.[0]).toMatchObject({ type: 'ResourceNotFoundException' })
      expect(scan).toMatchObject({ throttle: true, error: true })
      for (const call of calls)
        expect(
          call.parent_id === handlerSegment.id || (handlerSegment.subsegments ?? []).includes(call),
        ).toBe(true)
      // Outside an invocation the SDK's own recursion-detection header (the Lambda's trace) is left alone.
      expect(dynamo.requests[0]!['x-amzn-trace-id']).toBe(process.env._X_AMZN_TRACE_ID)
      const sent = dynamo.requests.slice(1).map((headers) => String(headers['x-amzn-trace-id']))
      expect(sent).toEqual([
        `Root=1-6749b1c8-0123456789abcdef01234567;Parent=${list!.id};Sampled=1`,
        `Root=1-6749b1c8-0123456789abcdef01234567;Parent=${describe!.id};Sampled=1`,
        `Root=1-6749b1c8-0123456789abcdef01234567;Parent=${scan!.id};Sampled=1`,
      ])
    } finally {
      out.restore()
      await dynamo.close()
    }
  })

  it('captureAwsClient keeps the Lineage of _X_AMZN_TRACE_ID (Lambda recursive loop detection); a PassThrough trace sends no header of its own', async () => {
    const { Tracer } = await import('@aws-lambda-powertools/tracer')
    const dynamo = await startDynamoDbStandIn()
    const client = captureAwsClient(dynamo.client)
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics(), tracer: new Tracer() }))
      .handler(async () => {
        await client.send(new ListTablesCommand({}))
        return { statusCode: 200, body: 'ok' }
      })
    const sampled =
      'Root=1-6749b1c8-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:1'
    const passThrough = 'Root=1-6749b1c8-0123456789abcdef01234567;Lineage=a87bd80c:1'
    const out = captureOutput()
    try {
      for (const traceHeader of [sampled, passThrough]) {
        process.env._X_AMZN_TRACE_ID = traceHeader
        await handler(apiGatewayV2Event({ routeKey: 'GET /tables' }), lambdaContext())
      }
      await segmentsAfter(2)
      const [fromSampled, fromPassThrough] = dynamo.requests.map((headers) =>
        String(headers['x-amzn-trace-id']),
      )
      expect(fromSampled).toMatch(
        /^Root=1-6749b1c8-0123456789abcdef01234567;Parent=[0-9a-f]{16};Sampled=1;Lineage=a87bd80c:1$/,
      )
      // As the X-Ray SDK does: no subsegment id of its own, the SDK forwards the Lambda's header as it is.
      expect(fromPassThrough).toBe(passThrough)
    } finally {
      process.env._X_AMZN_TRACE_ID = savedTraceHeader
      out.restore()
      await dynamo.close()
    }
  })

  it('interleaved invocations: each handler subsegment is sent, a child of the Lambda segment, with its own annotations and calls', async () => {
    const { Tracer } = await import('@aws-lambda-powertools/tracer')
    const dynamo = await startDynamoDbStandIn()
    const client = captureAwsClient(dynamo.client)
    const gates = new Map<string, () => void>()
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics(), tracer: new Tracer() }))
      .use(httpErrorHandler({ logger: false }))
      .handler(async (event: unknown) => {
        const { rawPath } = event as { rawPath: string }
        await new Promise<void>((resolve) => gates.set(rawPath, resolve))
        await client.send(new ListTablesCommand({}))
        if (rawPath === '/b') throw new LiftHttpError(403, { code: 'forbidden' })
        return { statusCode: 200, body: 'ok' }
      })
    const out = captureOutput()
    try {
      const a = handler(apiGatewayV2Event({ path: '/a', routeKey: 'GET /a' }), lambdaContext())
      const b = handler(apiGatewayV2Event({ path: '/b', routeKey: 'GET /b' }), lambdaContext())
      for (let i = 0; i < 100 && gates.size < 2; i++) await new Promise((resolve) => setTimeout(resolve, 5))
      gates.get('/a')!()
      await a
      gates.get('/b')!()
      await b
      const documents = await segmentsAfter(4)
      const handlers = documents.filter((doc) => doc.name === '## index.handler')
      expect(
        handlers.map((doc) => [doc.parent_id, doc.annotations?.route, doc.annotations?.outcome]),
      ).toEqual([
        ['53995c3f42cd8ad8', 'GET /a', 'success'],
        ['53995c3f42cd8ad8', 'GET /b', 'client_error'],
      ])
      const calls = documents.filter((doc) => doc.namespace === 'aws')
      expect(calls.map((doc) => doc.parent_id)).toEqual(handlers.map((doc) => doc.id))
    } finally {
      out.restore()
      await dynamo.close()
    }
  })
})
