// @lift/health: answering health paths from a Middy handler, against the bare handler.
import { healthCheck } from '@lift/health'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import { type BenchGroup, invocationEvent, runSuite } from '../harness'

const context = lambdaContext({ timeoutMs: 3_600_000 })
const ok = { statusCode: 200, body: '' }
const bare = middy().handler(async () => ok)

const pass = async () => ({ status: 'pass' as const })
const after = (ms: number) => async () => {
  await new Promise((resolve) => setTimeout(resolve, ms))
  return { status: 'pass' as const }
}

const expectStatus = (statusCode: number) => (result: unknown) => {
  if ((result as { statusCode?: number }).statusCode !== statusCode)
    throw new Error(`expected ${statusCode}, got ${JSON.stringify(result)}`)
}
const expect200 = expectStatus(200)

const cachedChecks = {
  'dynamodb:responseTime': pass,
  'secretsmanager:responseTime': pass,
  'upstream:responseTime': pass,
  'memory:utilization': async () => ({
    status: 'pass' as const,
    observedValue: 41.5,
    observedUnit: 'percent',
  }),
  'queue:depth': async () => ({ status: 'pass' as const, observedValue: 3, observedUnit: 'messages' }),
}
const cached = middy()
  .use(healthCheck({ checks: cachedChecks, cacheTtlMs: 3_600_000, details: true, version: '1.0.0' }))
  .handler(async () => ok)

// Five checks taking 2, 4, 6, 8 and 10 ms; no cache, so every call runs all five.
const latencies = [2, 4, 6, 8, 10]
const timedChecks = Object.fromEntries(latencies.map((ms) => [`dep${ms}ms:responseTime`, after(ms)]))
const uncached = middy()
  .use(healthCheck({ checks: timedChecks, cacheTtlMs: 0, details: true }))
  .handler(async () => ok)
const slowest = middy().handler(async () => {
  await after(10)()
  return ok
})
const sequential = middy().handler(async () => {
  for (const ms of latencies) await after(ms)()
  return ok
})

// The floor of a cached report: returning a response built once.
const prebuilt = {
  statusCode: 200,
  headers: { 'content-type': 'application/health+json' },
  body: '{"status":"pass"}',
}
const prebuiltReport = middy().handler(async () => ({ ...prebuilt }))

const live = middy()
  .use(healthCheck({ checks: cachedChecks }))
  .handler(async () => ok)

// httpRequestView memoizes per event object, so every call gets a fresh shallow copy (the baseline too).
const event = (path: string) =>
  apiGatewayV2Event({ path, headers: { 'user-agent': 'ELB-HealthChecker/2.0' } })
const liveEvent = event('/health/live')
const healthEvent = event('/health')
const orderEvent = event('/orders')

const groups: BenchGroup[] = [
  {
    name: 'GET /health/live',
    baseline: {
      name: 'bare Middy handler',
      run: () => bare(invocationEvent(liveEvent), context),
      check: expect200,
    },
    cases: [
      {
        name: 'Lift healthCheck liveness',
        run: () => live(invocationEvent(liveEvent), context),
        check: expect200,
      },
      {
        name: 'Lift healthCheck, a non-health path passing through',
        run: () => live(invocationEvent(orderEvent), context),
        check: expect200,
      },
    ],
  },
  {
    name: 'GET /health, 5 checks, cached report',
    baseline: {
      name: 'bare Middy handler',
      run: () => bare(invocationEvent(healthEvent), context),
      check: expect200,
    },
    limit: {
      name: 'limit: a response built once, returned',
      run: () => prebuiltReport(invocationEvent(healthEvent), context),
      check: expect200,
    },
    cases: [
      {
        name: 'Lift healthCheck cached full report (details)',
        run: () => cached(invocationEvent(healthEvent), context),
        check: expect200,
      },
    ],
  },
  {
    name: 'GET /health, 5 checks of 2/4/6/8/10 ms, uncached',
    perCall: true,
    baseline: {
      name: 'bare Middy handler',
      run: () => bare(invocationEvent(healthEvent), context),
      check: expect200,
    },
    limit: {
      name: 'limit: bare Middy handler awaiting the slowest check (10 ms)',
      run: () => slowest(invocationEvent(healthEvent), context),
      check: expect200,
    },
    cases: [
      {
        name: 'Lift healthCheck uncached report (parallel checks)',
        run: () => uncached(invocationEvent(healthEvent), context),
        check: expect200,
      },
      {
        // Not a library: the reference that a run costing the sum of its checks would match.
        name: 'reference: the same five checks awaited one after another',
        peer: true,
        run: () => sequential(invocationEvent(healthEvent), context),
        check: expect200,
      },
    ],
  },
]

await runSuite({
  name: 'health',
  description:
    'Answering health paths with @lift/health on API Gateway HTTP API (v2) events: liveness and a cached ' +
    '5-check report against the bare Middy handler; an uncached report whose five checks take 2, 4, 6, 8 ' +
    'and 10 ms (setTimeout) against a handler that awaits only the slowest (10 ms) and one that awaits all ' +
    'five in sequence (30 ms), to show that the checks run in parallel. Limits: the bare handler for liveness, a ' +
    'prebuilt response for the cached report, the slowest check for the uncached one.',
  groups,
})
