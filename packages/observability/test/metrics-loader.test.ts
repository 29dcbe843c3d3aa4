import { Logger } from '@aws-lambda-powertools/logger'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import { observability } from '../src/index'
import { loadMetrics } from '../src/metrics-loader'
import { type Captured, captureOutput } from './support/capture'

let out: Captured
const savedEnv = { ...process.env }

beforeAll(() => {
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'LiftTest'
  process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand'
})
afterAll(() => {
  process.env = savedEnv
})
afterEach(() => out?.restore())

describe('Powertools Metrics imported on demand', () => {
  it('without a metrics option, the first invocation publishes through the Metrics it imported', async () => {
    const handler = middy()
      .use(observability({ logger: new Logger(), serviceName: 'billing' }))
      .handler(async () => ({ statusCode: 200, body: 'ok' }))
    out = captureOutput()
    await handler(apiGatewayV2Event({ routeKey: 'GET /bills', path: '/bills' }), lambdaContext())
    await handler(apiGatewayV2Event({ routeKey: 'GET /bills', path: '/bills' }), lambdaContext())
    out.restore()
    const requests = out.emf().filter((blob) => 'Latency' in blob)
    expect(requests).toHaveLength(2)
    for (const blob of requests)
      expect(blob).toMatchObject({ service: 'billing', route: 'GET /bills', Requests: 1, Errors: 0 })
    expect(out.emf().filter((blob) => 'ColdStart' in blob)).toHaveLength(1)
  })

  it('loadMetrics makes one Metrics per call, named after the service when one is given', async () => {
    const [named, unnamed] = await Promise.all([loadMetrics('billing'), loadMetrics(undefined)])
    expect(named).not.toBe(unnamed)
    out = captureOutput()
    named.addMetric('Probe', 'Count', 1)
    named.publishStoredMetrics()
    out.restore()
    expect(out.emf()).toEqual([expect.objectContaining({ service: 'billing', Probe: 1 })])
  })
})
