import { createServer, type Server, type Socket } from 'node:net'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { type LocalDynamoDb, startDynamoDb } from '@lift/testing'
import { dynamoStore, type RateLimitOptions, type RateLimitStore } from '../src/index'
import { limitedHandler, run } from './support/harness'
import { rule, T0 } from './support/rules'

const TABLE = 'limits-outage'
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' }

function documentClientFor(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials }))
}

function options(endpoint: string, overrides: Partial<RateLimitOptions>): RateLimitOptions {
  return {
    limits: [rule('minute', 100, 60, 'fixed-window')],
    key: 'ip',
    store: dynamoStore({ tableName: TABLE, documentClient: documentClientFor(endpoint) }),
    now: () => T0,
    ...overrides,
  }
}

describe('DynamoDB outage: dynalite stopped mid-test', () => {
  let db: LocalDynamoDb

  beforeAll(async () => {
    db = await startDynamoDb()
    await db.createTable({ tableName: TABLE, ttlAttribute: 'expiresAt' })
  })

  afterAll(async () => {
    await db.stop()
  })

  it("admits with onStoreError 'allow' and refuses with 'deny', both logged and published", async () => {
    const logger = jest.fn()
    const allow = limitedHandler(options(db.endpoint, { logger, storeTimeoutMs: 2_000 }))
    const deny = limitedHandler(options(db.endpoint, { logger, storeTimeoutMs: 2_000, onStoreError: 'deny' }))
    expect((await run(allow)).statusCode).toBe(200)
    expect((await run(deny)).statusCode).toBe(200)
    await db.stop()
    const allowed = await run(allow)
    expect(allowed.statusCode).toBe(200)
    expect(allowed.events).toMatchObject([{ outcome: 'allow', reason: 'store-error-allowed' }])
    const denied = await run(deny)
    expect(denied.statusCode).toBe(503)
    expect(denied.events).toMatchObject([{ outcome: 'deny', reason: 'store-error-denied' }])
    expect(logger.mock.calls.map(([message]) => message)).toEqual([
      'rateLimit: the store failed, request allowed',
      'rateLimit: the store failed, request denied',
    ])
  })
})

describe('slow store: a 127.0.0.1 server that accepts connections and never answers', () => {
  let server: Server
  let endpoint: string
  const sockets = new Set<Socket>()

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket)
      socket.on('error', () => {})
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  })

  afterAll(async () => {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  })

  it('gives up after storeTimeoutMs, aborts the SDK call, and applies allow / deny', async () => {
    const logger = jest.fn()
    // What the store's own call ended with, once the middleware had stopped waiting for it.
    const inner = dynamoStore({ tableName: TABLE, documentClient: documentClientFor(endpoint) })
    const settled: Promise<unknown>[] = []
    const store: RateLimitStore = {
      consume(request) {
        const pending = Promise.resolve(inner.consume(request))
        settled.push(
          pending.then(
            () => 'answered',
            (error: Error) => error.name,
          ),
        )
        return pending
      },
    }
    const allowed = await run(limitedHandler(options(endpoint, { logger, storeTimeoutMs: 150, store })))
    expect(allowed.statusCode).toBe(200)
    expect(allowed.events).toMatchObject([{ reason: 'store-error-allowed' }])
    const denied = await run(
      limitedHandler(options(endpoint, { logger, storeTimeoutMs: 150, onStoreError: 'deny' })),
    )
    expect(denied.statusCode).toBe(503)
    expect(logger.mock.calls.map(([, detail]) => (detail as { error: string }).error)).toEqual([
      'StoreTimeoutError',
      'StoreTimeoutError',
    ])
    // The abort signal reached the SDK call: it ended with AbortError instead of hanging on.
    expect(await Promise.all(settled)).toEqual(['AbortError'])
  })
})

describe('a store that is still starting (ready())', () => {
  const admitAll: RateLimitStore['consume'] = async ({ rules }) => ({
    allowed: true,
    statuses: rules.map((r) => ({ rule: r, remaining: r.limit - 1, resetMs: 1000 })),
    blockMs: 0,
  })

  it('waits for ready() outside the deadline: a slow cold start is not a store failure', async () => {
    const logger = jest.fn()
    const store: RateLimitStore = {
      ready: () => new Promise((resolve) => setTimeout(resolve, 60)),
      consume: admitAll,
    }
    const outcome = await run(
      limitedHandler({
        limits: [rule('minute', 100, 60, 'fixed-window')],
        key: 'ip',
        store,
        storeTimeoutMs: 10,
        logger,
        now: () => T0,
      }),
    )
    expect(outcome.statusCode).toBe(200)
    expect(outcome.headers.RateLimit).toBe('"minute";r=99;t=1')
    expect(logger).not.toHaveBeenCalled()
  })

  it('a ready() that fails is a store failure, handled by onStoreError', async () => {
    const logger = jest.fn()
    const store: RateLimitStore = {
      ready: () => Promise.reject(new Error('module not found')),
      consume: admitAll,
    }
    const outcome = await run(
      limitedHandler({
        limits: [rule('minute', 100, 60, 'fixed-window')],
        key: 'ip',
        store,
        onStoreError: 'deny',
        logger,
        now: () => T0,
      }),
    )
    expect(outcome.statusCode).toBe(503)
    expect(logger).toHaveBeenCalledTimes(1)
  })
})
