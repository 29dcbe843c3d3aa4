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

describe('fail-open budget: after a store failure for a key, this container decides it locally', () => {
  /** A store that fails while `down`, and otherwise admits (counting its calls). */
  function switchable() {
    const state = { down: true, calls: 0, hang: false }
    const store: RateLimitStore = {
      consume({ rules, signal }) {
        state.calls++
        if (state.hang)
          return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
        if (state.down)
          return Promise.reject(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }))
        return Promise.resolve({
          allowed: true,
          statuses: rules.map((r) => ({ rule: r, remaining: r.limit - 1, resetMs: 1_000 })),
          blockMs: 0,
        })
      },
    }
    return { state, store }
  }

  it('DynamoDB unreachable, default options: 2 % of the limit per window is admitted, then 429; logged and published once', async () => {
    const logger = jest.fn()
    // A port nothing listens on: every call fails at once (connection refused).
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const endpoint = `http://127.0.0.1:${(closed.address() as { port: number }).port}`
    await new Promise((resolve) => closed.close(resolve))
    const clock = { now: T0 }
    const handler = limitedHandler(options(endpoint, { logger, now: () => clock.now }))
    const outcomes = []
    for (let i = 0; i < 10; i++) outcomes.push(await run(handler))
    // limit 100 × 0.02 = 2 per window for this container.
    expect(outcomes.map((o) => o.statusCode)).toEqual([200, 200, 429, 429, 429, 429, 429, 429, 429, 429])
    expect(outcomes[2]!.events).toMatchObject([{ outcome: 'deny', reason: 'fail-open-budget-exceeded' }])
    expect(outcomes[2]!.headers['Retry-After']).toBe('60')
    const failures = outcomes.flatMap((o) => o.events).filter((e) => e.reason === 'store-error-allowed')
    expect(failures).toHaveLength(1)
    expect(logger).toHaveBeenCalledTimes(1)
    // The next window: the budget restarts and the failure is reported once more.
    clock.now = T0 + 60_000
    expect((await run(handler)).statusCode).toBe(200)
    expect(logger).toHaveBeenCalledTimes(2)
  })

  it('once the store answers again, it decides the key again', async () => {
    const { state, store } = switchable()
    const handler = limitedHandler({ ...options('', {}), store, logger: () => {} })
    expect((await run(handler)).statusCode).toBe(200) // failed open (budget 2)
    expect((await run(handler)).statusCode).toBe(200)
    expect((await run(handler)).statusCode).toBe(429)
    state.down = false
    const back = await run(handler)
    expect(back.statusCode).toBe(200)
    expect(back.headers.RateLimit).toBe('"minute";r=99;t=1')
    for (let i = 0; i < 5; i++) expect((await run(handler)).statusCode).toBe(200)
    expect(state.calls).toBe(9)
  })

  it('while one request asks the slow store, the others of the key are decided locally at once', async () => {
    const { state, store } = switchable()
    state.hang = true
    const logger = jest.fn()
    const handler = limitedHandler({
      ...options('', {}),
      limits: [rule('minute', 1_000, 60, 'token-bucket')],
      store,
      logger,
      storeTimeoutMs: 50,
    })
    expect((await run(handler)).statusCode).toBe(200) // timed out, failed open
    expect(state.calls).toBe(1)
    // One probe goes to the store (and waits for its deadline); the nine others do not call it.
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => run(handler)))
    expect(state.calls).toBe(2)
    // 1,000 × 0.02 = 20 per window: all ten fit.
    expect(outcomes.every((o) => o.statusCode === 200)).toBe(true)
    expect(logger).toHaveBeenCalledTimes(1)
  })

  it("with 'deny' the key answers 503, the failure logged once per window, until the store answers", async () => {
    const { state, store } = switchable()
    const logger = jest.fn()
    const handler = limitedHandler({ ...options('', {}), store, logger, onStoreError: 'deny' })
    const codes = []
    for (let i = 0; i < 5; i++) codes.push((await run(handler)).statusCode)
    expect(codes).toEqual([503, 503, 503, 503, 503])
    expect(logger).toHaveBeenCalledTimes(1)
    state.down = false
    expect((await run(handler)).statusCode).toBe(200)
  })

  it('failOpenShare is validated', () => {
    const store = switchable().store
    for (const failOpenShare of [0, -1, 1.5, Number.NaN])
      expect(() => limitedHandler({ ...options('', {}), store, failOpenShare })).toThrow(
        'failOpenShare must be a number in (0, 1]',
      )
  })
})
