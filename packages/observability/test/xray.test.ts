// X-Ray through Powertools Tracer, for real: segments are caught on a UDP socket on 127.0.0.1 standing in
// for the X-Ray daemon, parsed from the daemon protocol (a JSON header line, then the segment document).
import { createSocket, type Socket } from 'node:dgram'
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { LiftHttpError } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { observability } from '../src/index'
import { captureOutput } from './support/capture'

interface SegmentDocument {
  name: string
  annotations?: Record<string, unknown>
  error?: boolean
  fault?: boolean
  cause?: { exceptions?: { message?: string; type?: string; stack?: unknown }[] }
  trace_id?: string
}

let daemon: Socket
const received: SegmentDocument[] = []
const savedEnv = { ...process.env }

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
    _X_AMZN_TRACE_ID: 'Root=1-6749b1c8-0123456789abcdef01234567;Parent=53995c3f42cd8ad8;Sampled=1',
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
})
