// @lift/rate-limit: one limited GET, against the bare handler and rate-limiter-flexible (memory, and DynamoDB on dynalite).
import { DynamoDB, type DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import {
  dynamoStore,
  memoryStore,
  type RateLimitRule,
  type RateLimitStore,
  rateLimit,
  shardedStore,
} from '@lift/rate-limit'
import { httpRequestView, LiftHttpError } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext, startDynamoDb } from '@lift/testing'
import middy, { type MiddlewareObj } from '@middy/core'
import {
  type RateLimiterAbstract,
  RateLimiterDynamo,
  RateLimiterMemory,
  RateLimiterRes,
} from 'rate-limiter-flexible'
import { type BenchGroup, invocationEvent, runSuite } from '../harness'

const context = lambdaContext()
const ok = { statusCode: 200, body: '' }
const event = apiGatewayV2Event({ method: 'GET', path: '/items', sourceIp: '198.51.100.7' })
// Limits high enough that every measured call is admitted (the job measured is counting, not refusing).
const LIMIT = 1_000_000_000
const WINDOW_SEC = 60
const limits: RateLimitRule[] = [
  { name: 'minute', limit: LIMIT, windowSec: WINDOW_SEC, algorithm: 'fixed-window' },
]

const expect200 = (result: unknown) => {
  if ((result as { statusCode?: number }).statusCode !== 200)
    throw new Error(`expected 200, got ${JSON.stringify(result)}`)
}

/**
 * The peer doing the same job as rateLimit: key by source IP, consume one point, 429 with Retry-After when
 * refused, RateLimit-Policy / RateLimit fields on the response.
 */
function flexibleMiddleware(limiter: RateLimiterAbstract): MiddlewareObj {
  const fields = new WeakMap<object, Record<string, string>>()
  return {
    before: async (request) => {
      const key = `ip:${httpRequestView(request.event).sourceIp}`
      try {
        const result = await limiter.consume(key, 1)
        fields.set(request, {
          'RateLimit-Policy': `"minute";q=${LIMIT};w=${WINDOW_SEC}`,
          RateLimit: `"minute";r=${result.remainingPoints};t=${Math.ceil(result.msBeforeNext / 1000)}`,
        })
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error
        throw new LiftHttpError(429, {
          code: 'quota-exceeded',
          headers: { 'Retry-After': String(Math.ceil(error.msBeforeNext / 1000)) },
        })
      }
    },
    after: (request) => {
      const headers = fields.get(request)
      const response = request.response as { headers?: Record<string, string> }
      if (headers) response.headers = { ...headers, ...response.headers }
    },
  }
}

/** Counts HTTP round trips (retries included) a client makes. */
function countRoundTrips(client: DynamoDBClient | DynamoDB): { count: number } {
  const counter = { count: 0 }
  client.middlewareStack.add(
    (next) => async (args) => {
      counter.count++
      return next(args)
    },
    { step: 'deserialize', name: 'benchRoundTripCounter' },
  )
  return counter
}

const bare = middy().handler(async () => ok)
// httpRequestView memoizes per event object, so every call gets a fresh shallow copy (the baseline too).
const call = (handler: (e: never, c: never) => Promise<unknown>) => () =>
  handler(invocationEvent(event) as never, context as never)

const liftMemory = middy()
  .use(rateLimit({ limits, key: 'ip', store: memoryStore() }))
  .handler(async () => ok)
const peerMemory = middy()
  .use(flexibleMiddleware(new RateLimiterMemory({ points: LIMIT, duration: WINDOW_SEC })))
  .handler(async () => ok)

// The floor in memory: one Map counter per IP and window, incremented.
const counters = new Map<string, number>()
const memoryLimit = middy().handler(async (e: unknown) => {
  const key = `ip:${httpRequestView(e).sourceIp}:${Math.floor(Date.now() / 60_000)}`
  counters.set(key, (counters.get(key) ?? 0) + 1)
  return ok
})

const memoryGroup: BenchGroup = {
  name: 'GET, one limit per IP, memory',
  baseline: { name: 'bare Middy handler', run: call(bare), check: expect200 },
  limit: { name: 'limit: a Map counter incremented', run: call(memoryLimit), check: expect200 },
  cases: [
    {
      name: 'Lift rateLimit (memoryStore, fixed window)',
      run: call(liftMemory),
      check: expect200,
    },
    {
      name: 'rate-limiter-flexible RateLimiterMemory in a Middy middleware',
      peer: true,
      run: call(peerMemory),
      check: expect200,
    },
  ],
}

const db = await startDynamoDb()
await db.createTable({ tableName: 'lift-limits', ttlAttribute: 'expiresAt' })
await db.createTable({ tableName: 'rlf-limits', partitionKey: 'key', ttlAttribute: 'expire' })
const clientConfig = {
  endpoint: db.endpoint,
  region: db.region,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
}
const liftClient = new DynamoDB(clientConfig)
const liftTrips = countRoundTrips(liftClient)
const limitClient = new DynamoDB(clientConfig)
await db.createTable({ tableName: 'limit-counters' })
const peerClient = new DynamoDB(clientConfig)
const peerTrips = countRoundTrips(peerClient)

const liftDynamo = middy()
  .use(
    rateLimit({
      limits,
      key: 'ip',
      store: dynamoStore({
        tableName: 'lift-limits',
        documentClient: DynamoDBDocumentClient.from(liftClient),
      }),
      storeTimeoutMs: 5_000,
    }),
  )
  .handler(async () => ok)
const peerDynamo = middy()
  .use(
    flexibleMiddleware(
      new RateLimiterDynamo({
        storeClient: peerClient,
        tableName: 'rlf-limits',
        tableCreated: true,
        ttlSet: true,
        points: LIMIT,
        duration: WINDOW_SEC,
      }),
    ),
  )
  .handler(async () => ok)

/** Round trips per request in the steady state (after a first request created the item). */
async function roundTripsPerRequest(
  run: () => Promise<unknown>,
  counter: { count: number },
): Promise<number> {
  await run()
  const before = counter.count
  const requests = 200
  for (let i = 0; i < requests; i++) expect200(await run())
  return (counter.count - before) / requests
}

const trips = {
  lift: await roundTripsPerRequest(call(liftDynamo), liftTrips),
  peer: await roundTripsPerRequest(call(peerDynamo), peerTrips),
}
console.log(
  `DynamoDB round trips per admitted request (steady state, 200 requests): Lift dynamoStore ${trips.lift}, ` +
    `rate-limiter-flexible RateLimiterDynamo ${trips.peer}`,
)

/**
 * DynamoDB round trips for the decisions of a 1,000-way burst on one key at limit 50, spread over 4
 * containers (middleware instances, own store each), default options. Not timed: a cost per decision.
 */
async function burstCalls(
  label: string,
  makeStore: (documentClient: DynamoDBDocumentClient) => RateLimitStore,
) {
  const client = new DynamoDB(clientConfig)
  const counter = countRoundTrips(client)
  const documentClient = DynamoDBDocumentClient.from(client)
  const burstKey = `burst:${label}`
  const containers = Array.from({ length: 4 }, () =>
    middy()
      .use(
        rateLimit({
          limits: [{ name: 'minute', limit: 50, windowSec: 60, algorithm: 'fixed-window' }],
          key: () => burstKey,
          store: makeStore(documentClient),
        }),
      )
      .handler(async () => ok),
  )
  const outcomes = await Promise.all(
    Array.from({ length: 1_000 }, (_, i) =>
      containers[i % 4]!(invocationEvent(event) as never, context as never).then(
        () => 'admitted',
        () => 'refused',
      ),
    ),
  )
  client.destroy()
  const admitted = outcomes.filter((o) => o === 'admitted').length
  console.log(
    `${label}: ${counter.count} DynamoDB calls per 1,000 decisions (${admitted} admitted of 1,000, limit 50)`,
  )
  return counter.count
}

const burst = {
  plain: await burstCalls('burst, dynamoStore (default path)', (documentClient) =>
    dynamoStore({ tableName: 'lift-limits', documentClient }),
  ),
  sharded: await burstCalls('burst, shardedStore(dynamoStore, 8 shards) (hot-key mode)', (documentClient) =>
    shardedStore(dynamoStore({ tableName: 'lift-limits', documentClient }), { shards: 8 }),
  ),
}

// The floor on DynamoDB: one UpdateItem round trip (an atomic ADD on the window's counter), no condition.
const dynamoLimit = middy().handler(async (e: unknown) => {
  const key = `ip:${httpRequestView(e).sourceIp}:${Math.floor(Date.now() / 60_000)}`
  await limitClient.send(
    new UpdateItemCommand({
      TableName: 'limit-counters',
      Key: { pk: { S: key } },
      UpdateExpression: 'ADD hits :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    }),
  )
  return ok
})

const dynamoGroup: BenchGroup = {
  name: 'GET, one limit per IP, DynamoDB (dynalite on 127.0.0.1)',
  perCall: true,
  baseline: { name: 'bare Middy handler', run: call(bare), check: expect200 },
  limit: { name: 'limit: one UpdateItem round trip', run: call(dynamoLimit), check: expect200 },
  cases: [
    {
      name: `Lift rateLimit (dynamoStore, ${trips.lift} round trip/request)`,
      run: call(liftDynamo),
      check: expect200,
    },
    {
      name: `rate-limiter-flexible RateLimiterDynamo (${trips.peer} round trips/request)`,
      peer: true,
      run: call(peerDynamo),
      check: expect200,
    },
  ],
}

try {
  await runSuite({
    name: 'rate-limit',
    description:
      'One GET (API Gateway HTTP API v2 event) counted against a per-IP limit that always admits it: Lift ' +
      '`rateLimit` against the bare Middy handler and against rate-limiter-flexible in a Middy middleware doing ' +
      'the same job (RateLimit fields, 429 on refusal); in memory, and on DynamoDB (dynalite on 127.0.0.1, ' +
      `same process) where Lift makes ${trips.lift} and RateLimiterDynamo ${trips.peer} round trips per request. ` +
      `DynamoDB calls per 1,000 decisions of a 1,000-way burst on one key at limit 50 over 4 containers: ` +
      `${burst.plain} on the default path, ${burst.sharded} in hot-key mode (shardedStore, 8 shards).`,
    groups: [memoryGroup, dynamoGroup],
  })
} finally {
  liftClient.destroy()
  peerClient.destroy()
  limitClient.destroy()
  await db.stop()
}
