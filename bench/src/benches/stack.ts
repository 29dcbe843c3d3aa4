// The whole stack, one middleware at a time, in the documented order: what each adds to the bare Middy
// handler on an authenticated JSON POST (token already verified once, rate limit in memory, body parsed).
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { authorize, jwtAuth } from '@lift/auth-jwt'
import { healthCheck } from '@lift/health'
import { observability } from '@lift/observability'
import { memoryStore, rateLimit } from '@lift/rate-limit'
import { apiGatewayV2Event, createTestIssuer, lambdaContext } from '@lift/testing'
import middy, { type MiddlewareObj } from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { type BenchCase, invocationEvent, runSuite } from '../harness'

process.env.POWERTOOLS_SERVICE_NAME = 'orders'
process.env.POWERTOOLS_METRICS_NAMESPACE = 'Bench'
// Powertools writes each line to stdout: discarded, so the terminal is not what is measured.
const stdoutWrite = process.stdout.write.bind(process.stdout)
process.stdout.write = (() => true) as typeof process.stdout.write

const issuer = await createTestIssuer({ alg: 'HS256', audience: 'api', issuer: 'https://idp.bench.example' })
const token = await issuer.sign({ sub: 'ada', roles: ['admin'] }, { expiresIn: 3600 })
const context = lambdaContext()
const event = apiGatewayV2Event({
  method: 'POST',
  path: '/orders',
  routeKey: 'POST /orders',
  headers: {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
    'x-correlation-id': 'bench-1',
  },
  body: JSON.stringify({ sku: 'SKU-1', quantity: 2 }),
})
const handler = async () => ({ statusCode: 200, body: '' })
const expect200 = (result: unknown) => {
  if ((result as { statusCode?: number }).statusCode !== 200)
    throw new Error(`expected 200, got ${JSON.stringify(result)}`)
}

const layers: [string, () => MiddlewareObj][] = [
  [
    'observability({ audit: true })',
    () => observability({ logger: new Logger(), metrics: new Metrics(), audit: true }),
  ],
  ['healthCheck (not a health path)', () => healthCheck({})],
  ['httpErrorHandler', () => httpErrorHandler({ logger: false }) as MiddlewareObj],
  [
    'jwtAuth (token seen before)',
    () =>
      jwtAuth({
        issuers: [{ issuer: issuer.issuer, audience: 'api', algorithms: ['HS256'], secret: issuer.secret }],
      }),
  ],
  [
    'rateLimit (memory store)',
    () =>
      rateLimit({
        key: 'principal',
        limits: [{ name: 'minute', limit: 1e9, windowSec: 60, algorithm: 'sliding-window' }],
        store: memoryStore(),
      }),
  ],
  ['authorize', () => authorize({ roles: { anyOf: ['admin'] } })],
  ['httpJsonBodyParser', () => httpJsonBodyParser() as MiddlewareObj],
]

// Stack i has the first i layers; every call gets a fresh copy of the event (the parser replaces its body).
const stacks = layers.map((_, i) =>
  middy()
    .use(layers.slice(0, i + 1).map(([, make]) => make()))
    .handler(handler),
)
const bare = middy().handler(handler)
const cases: BenchCase[] = stacks.map((stack, i) => ({
  name: `+ ${layers[i]![0]}`,
  run: () => stack(invocationEvent(event), context),
  check: expect200,
}))

const result = await runSuite({
  name: 'stack',
  description:
    'The whole stack in the documented order, one middleware added per row, on an authenticated 40-byte JSON ' +
    'POST (HTTP API v2 event): the row’s _added_ minus the previous row’s is that middleware’s own cost. ' +
    'Observability writes its log lines and EMF to a discarded stdout; the token was verified once before (cache).',
  groups: [
    {
      name: 'authenticated JSON POST',
      baseline: {
        name: 'bare Middy handler',
        run: () => bare(invocationEvent(event), context),
        check: expect200,
      },
      cases,
    },
  ],
})
process.stdout.write = stdoutWrite
for (const row of result.cases)
  console.log(
    `${row.name}: median ${(row.medianNs / 1000).toFixed(2)} µs (× ${row.ratioToBaseline.toFixed(2)})`,
  )
