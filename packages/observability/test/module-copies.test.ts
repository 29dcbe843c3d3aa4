// Several copies of @lift/observability in one process: two bundles or two installed versions in one
// function, and in Jest one per test file (earlier files' copies stay subscribed to the process-wide
// `lift:security` channel). Each decision must still be one audit record, written by the instance whose
// invocation made it and carrying that invocation's ids; no copy may add a second, context-free record.
import { Logger } from '@aws-lambda-powertools/logger'
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { publishSecurityEvent } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import { stopListening } from '../src/audit'
import * as first from '../src/index'
import { type Captured, captureOutput } from './support/capture'

let out: Captured | undefined
afterEach(() => {
  out?.restore()
  stopListening()
})

async function secondCopy(): Promise<typeof first> {
  let copy: typeof first | undefined
  await jest.isolateModulesAsync(async () => {
    copy = await import('../src/index')
  })
  expect(copy).toBeDefined()
  expect(copy!.observability).not.toBe(first.observability)
  return copy!
}

function handlerOf(copy: typeof first, serviceName: string) {
  return middy()
    .use(copy.observability({ logger: new Logger({ serviceName }), audit: true, requestMetrics: false }))
    .handler(async () => {
      publishSecurityEvent({ type: 'authz', outcome: 'deny', reason: 'role-missing', at: Date.now() })
      return { statusCode: 403, body: '' }
    })
}

describe('two copies of @lift/observability in one process', () => {
  it('one audit record per decision, from the instance of the invocation, with its ids', async () => {
    const second = await secondCopy()
    // An earlier copy with audit on (an earlier test file, another bundle) and the one serving the requests.
    handlerOf(first, 'earlier-copy')
    const handler = handlerOf(second, 'orders')
    out = captureOutput()
    await Promise.all(
      [1, 2, 3].map((index) =>
        handler(
          apiGatewayV2Event({ headers: { 'x-correlation-id': `corr-${index}` } }) as never,
          lambdaContext({ awsRequestId: `lambda-${index}` }) as never,
        ),
      ),
    )
    const records = out.logs().filter((line) => line.audit === true)
    expect(records).toHaveLength(3)
    for (const record of records) {
      expect(record.service).toBe('orders')
      expect(String(record.correlationId)).toMatch(/^corr-[123]$/)
      expect(record.awsRequestId).toBe(`lambda-${String(record.correlationId).slice(5)}`)
    }
  })

  it('an event outside any invocation is one record too, in the latest audit-enabled instance', async () => {
    const second = await secondCopy()
    handlerOf(first, 'earlier-copy')
    handlerOf(second, 'orders')
    out = captureOutput()
    publishSecurityEvent({ type: 'authn.jwt', outcome: 'allow', reason: 'jwks-stale', at: Date.now() })
    const records = out.logs().filter((line) => line.audit === true)
    expect(records.map((record) => record.service)).toEqual(['orders'])
  })
})
