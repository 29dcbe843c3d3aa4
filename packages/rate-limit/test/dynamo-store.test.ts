import { AsyncLocalStorage } from 'node:async_hooks'
import { GetCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type LocalDynamoDb, startDynamoDb } from '@lift/testing'
import { Table } from 'dynamodb-toolbox'
import { dynamoStore, dynamoStoreDefaults, type RateLimitStore } from '../src/index'
import { admittedOf, consume } from './support/consume'
import { countingClient } from './support/dynamo'
import { ALGORITHMS, resolved, rule, T0 } from './support/rules'
import { describeStoreBehaviour } from './support/store-behaviour'

const TABLE = 'rate-limits'
let db: LocalDynamoDb
let shared: RateLimitStore

beforeAll(async () => {
  db = await startDynamoDb({ clientConfig: { requestHandler: { socketAcquisitionWarningTimeout: 60_000 } } })
  await db.createTable({ tableName: TABLE, ttlAttribute: 'expiresAt' })
  shared = dynamoStore({ tableName: TABLE, documentClient: db.documentClient })
})

afterAll(async () => {
  await db.stop()
})

async function item(pk: string): Promise<Record<string, unknown> | undefined> {
  return (
    await db.documentClient.send(new GetCommand({ TableName: TABLE, Key: { pk }, ConsistentRead: true }))
  ).Item
}

// Every call gets a new store: the behaviour must not depend on what one container remembers.
describeStoreBehaviour('dynamoStore (fresh container per request)', () =>
  dynamoStore({ tableName: TABLE, documentClient: db.documentClient }),
)
describeStoreBehaviour('dynamoStore (one container)', () => shared)

// A thousand requests racing on one dynalite item: well under a second alone (each container settles its
// waiting requests in one write), longer beside other CI tasks.
const CONTENTION_TIMEOUT_MS = 60_000

describe('dynamoStore exactness on dynalite', () => {
  it.each(ALGORITHMS)(
    '%s: 1,000 concurrent requests for one key, limit 50 → exactly 50 admitted',
    async (algorithm) => {
      const rules = resolved(rule('hot', 50, 60, algorithm))
      // Ten containers, each its own store (own cache of the item), all racing on one item.
      const containers = Array.from({ length: 10 }, () =>
        dynamoStore({ tableName: TABLE, documentClient: db.documentClient }),
      )
      const key = `exact-${algorithm}`
      const admitted = await admittedOf(
        Array.from({ length: 1_000 }, (_, i) => consume(containers[i % 10]!, key, rules, T0 + 5)),
      )
      expect(admitted).toBe(50)
      const stored = await item(`rl#${key}`)
      if (algorithm === 'token-bucket') expect(stored?.['tat#hot']).toBe((T0 + 5) * 1000 + 50 * 1_200_000)
      else expect(stored?.[`c#hot#${Math.floor(T0 / 60_000)}`]).toBe(50)
    },
    CONTENTION_TIMEOUT_MS,
  )

  it(
    '3 limits at once: exactly the smallest is admitted and no refused request consumed any limit',
    async () => {
      const rules = resolved(
        rule('burst', 50, 10, 'token-bucket'),
        rule('minute', 75, 60, 'sliding-window'),
        rule('hour', 60, 3600, 'fixed-window'),
      )
      const containers = Array.from({ length: 10 }, () =>
        dynamoStore({ tableName: TABLE, documentClient: db.documentClient }),
      )
      const now = T0 + 7
      const admitted = await admittedOf(
        Array.from({ length: 1_000 }, (_, i) => consume(containers[i % 10]!, 'three', rules, now)),
      )
      expect(admitted).toBe(50)
      const stored = await item('rl#three')
      expect(stored).toEqual({
        pk: 'rl#three',
        'tat#burst': now * 1000 + 50 * 200_000,
        [`c#minute#${Math.floor(now / 60_000)}`]: 50,
        [`c#hour#${Math.floor(now / 3_600_000)}`]: 50,
        expiresAt: expect.any(Number),
      })
    },
    CONTENTION_TIMEOUT_MS,
  )
})

describe('dynamoStore item and round trips', () => {
  it('steady state: one UpdateItem per request for all limits together', async () => {
    const client = countingClient(db.documentClient)
    const store = dynamoStore({ tableName: TABLE, documentClient: client })
    const rules = resolved(
      rule('a', 50, 1, 'token-bucket'),
      rule('b', 50, 60, 'sliding-window'),
      rule('c', 50, 86_400, 'fixed-window'),
    )
    for (let i = 0; i < 10; i++) await consume(store, 'steady', rules, T0 + i)
    expect(client.commands).toEqual(Array(10).fill('UpdateCommand'))
  })

  it('a new container with a stale view retries once after reading the item (dynalite has no ALL_OLD on failure)', async () => {
    const rules = resolved(rule('g', 10, 60, 'token-bucket'))
    await consume(shared, 'stale', rules, T0)
    const client = countingClient(db.documentClient)
    const fresh = dynamoStore({ tableName: TABLE, documentClient: client })
    expect((await consume(fresh, 'stale', rules, T0 + 1)).allowed).toBe(true)
    expect(client.commands).toEqual(['UpdateCommand', 'GetCommand', 'UpdateCommand'])
  })

  it('uses the item DynamoDB returns with a failed condition instead of reading it again', async () => {
    const rules = resolved(rule('g', 10, 60, 'token-bucket'))
    await consume(shared, 'all-old', rules, T0)
    // DynamoDB answers ReturnValuesOnConditionCheckFailure: ALL_OLD with the item (marshalled) on the error.
    const client = countingClient({
      async send(command: never, options?: unknown) {
        try {
          return await db.documentClient.send(command, options as never)
        } catch (error) {
          const old = await db.client.send(
            new (await import('@aws-sdk/client-dynamodb')).GetItemCommand({
              TableName: TABLE,
              Key: { pk: { S: 'rl#all-old' } },
              ConsistentRead: true,
            }),
          )
          Object.assign(error as object, { Item: old.Item })
          throw error
        }
      },
    })
    const fresh = dynamoStore({ tableName: TABLE, documentClient: client })
    expect((await consume(fresh, 'all-old', rules, T0 + 1)).statuses[0]!.remaining).toBe(8)
    expect(client.commands).toEqual(['UpdateCommand', 'UpdateCommand'])
  })

  it('removes counters of windows no rule reads any more, and sets the TTL past the last window', async () => {
    const rules = resolved(rule('f', 5, 60, 'fixed-window'), rule('s', 5, 60, 'sliding-window'))
    const index = Math.floor(T0 / 60_000)
    await consume(shared, 'cleanup', rules, T0)
    await consume(shared, 'cleanup', rules, T0 + 60_000)
    await consume(shared, 'cleanup', rules, T0 + 120_000)
    const stored = await item('rl#cleanup')
    expect(Object.keys(stored ?? {}).sort()).toEqual(
      ['expiresAt', 'pk', `c#f#${index + 2}`, `c#s#${index + 1}`, `c#s#${index + 2}`].sort(),
    )
    // Sliding counters are read one window later; one longest window of grace on top.
    expect(stored?.expiresAt).toBe((T0 + 120_000 + 120_000) / 1000 + 60)
  })

  it('ignores counters of past windows although TTL has not deleted them yet', async () => {
    const rules = resolved(rule('f', 1, 60, 'fixed-window'))
    await consume(shared, 'lagging-ttl', rules, T0)
    expect((await consume(shared, 'lagging-ttl', rules, T0 + 59_000)).allowed).toBe(false)
    expect(
      (
        await consume(
          dynamoStore({ tableName: TABLE, documentClient: db.documentClient }),
          'lagging-ttl',
          rules,
          T0 + 61_000,
        )
      ).allowed,
    ).toBe(true)
  })

  it('accepts a dynamodb-toolbox Table (its name and document client) and a key prefix', async () => {
    const table = new Table({
      name: TABLE,
      partitionKey: { name: 'pk', type: 'string' },
      documentClient: db.documentClient,
    })
    const store = dynamoStore({ table, keyPrefix: 'limits/' })
    await consume(store, 'toolbox', resolved(rule('r', 3, 60, 'fixed-window')), T0)
    expect(await item('limits/toolbox')).toMatchObject({ [`c#r#${Math.floor(T0 / 60_000)}`]: 1 })
  })

  it('gives up after maxAttempts when the item keeps failing the condition, as a store error', async () => {
    const rules = resolved(rule('g', 10, 60, 'token-bucket'))
    await consume(shared, 'contended', rules, T0)
    const stubborn = {
      // Every read returns an empty item, so the store keeps choosing a branch the real item refutes.
      async send(command: never, options?: unknown) {
        if ((command as object).constructor.name === 'GetCommand') return { Item: undefined }
        return db.documentClient.send(command, options as never)
      },
    }
    const store = dynamoStore({ tableName: TABLE, documentClient: stubborn, maxAttempts: 3 })
    await expect(consume(store, 'contended', rules, T0 + 1)).rejects.toThrow(
      'stayed contended for 3 attempts',
    )
  })

  it('propagates DynamoDB errors other than a failed condition', async () => {
    const store = dynamoStore({ tableName: 'no-such-table', documentClient: db.documentClient })
    await expect(consume(store, 'x', resolved(rule('r', 1, 60, 'fixed-window')), T0)).rejects.toThrow(
      /not found/i,
    )
  })

  it('validates its options at construction', () => {
    const documentClient = db.documentClient
    expect(() => dynamoStore(undefined as never)).toThrow('options must be an object')
    expect(() => dynamoStore({})).toThrow('give table or tableName')
    expect(() => dynamoStore({ tableName: TABLE, documentClient, maxAttempt: 3 } as never)).toThrow(
      'dynamoStore: unknown option "maxAttempt"',
    )
    expect(() => dynamoStore({ tableName: TABLE })).toThrow('tableName needs documentClient')
    expect(() => dynamoStore({ tableName: TABLE, documentClient: {} as never })).toThrow(
      'must be a DynamoDBDocumentClient',
    )
    expect(() => dynamoStore({ table: {} as never })).toThrow('must be a dynamodb-toolbox Table')
    const wrongKey = new Table({ name: TABLE, partitionKey: { name: 'id', type: 'string' }, documentClient })
    expect(() => dynamoStore({ table: wrongKey })).toThrow("partition key must be a string named 'pk'")
    expect(() => dynamoStore({ tableName: TABLE, documentClient, keyPrefix: 3 as never })).toThrow(
      'keyPrefix',
    )
    expect(() => dynamoStore({ tableName: TABLE, documentClient, maxAttempts: 0 })).toThrow('maxAttempts')
    expect(() => dynamoStore({ tableName: TABLE, documentClient, maxCachedKeys: 1.5 })).toThrow(
      'maxCachedKeys',
    )
    expect(dynamoStoreDefaults).toEqual({ keyPrefix: 'rl#', maxCachedKeys: 10_000, maxAttempts: 8 })
  })
})

describe('dynamoStore: one container, concurrent requests for one key', () => {
  it('settles them together: 200 at once at limit 50 → at most two UpdateItems, the rest refused from their result', async () => {
    const client = countingClient(db.documentClient)
    const store = dynamoStore({ tableName: TABLE, documentClient: client })
    const rules = resolved(rule('m', 50, 60, 'fixed-window'))
    const first = await consume(store, 'coalesced', rules, T0)
    expect(first.statuses[0]!.remaining).toBe(49)
    const results = await Promise.all(
      Array.from({ length: 200 }, () => consume(store, 'coalesced', rules, T0)),
    )
    expect(results.filter((r) => r.allowed)).toHaveLength(49)
    // At most: the first of the 200 written alone, the 199 that queued behind it in a second write.
    expect(client.commands.length).toBeLessThanOrEqual(3)
    expect(new Set(client.commands)).toEqual(new Set(['UpdateCommand']))
    // Each admitted request sees the remaining units as they were after its own unit.
    const remaining = results.filter((r) => r.allowed).map((r) => r.statuses[0]!.remaining)
    expect(remaining).toEqual(Array.from({ length: 49 }, (_, i) => 48 - i))
    expect(results.at(-1)).toMatchObject({ allowed: false, blockMs: 60_000 })
  })

  it('writes each batch in the async context of its own invocation, not of the one whose write it queued behind', async () => {
    // Lambda Managed Instances and serveLocal run invocations concurrently in one process; observability reads
    // the invocation from AsyncLocalStorage for every log line and trace span of a store call.
    const invocation = new AsyncLocalStorage<string>()
    const seen: (string | undefined)[] = []
    const client = {
      send(command: never, options?: { abortSignal?: AbortSignal }) {
        seen.push(invocation.getStore())
        return db.documentClient.send(command, options)
      },
    }
    const store = dynamoStore({ tableName: TABLE, documentClient: client })
    const rules = resolved(rule('m', 50, 60, 'fixed-window'))
    // A starts the key's drain loop; B and C arrive while A's write is in flight and are written after it.
    const first = invocation.run('A', () => consume(store, 'contexts', rules, T0))
    const later = ['B', 'C'].map((id) => invocation.run(id, () => consume(store, 'contexts', rules, T0)))
    await Promise.all([first, ...later])
    expect(seen).toEqual(['A', 'B'])
    // Outside any invocation, after them: no context leaks in from the loop's earlier work.
    await consume(store, 'contexts', rules, T0)
    expect(seen.at(-1)).toBeUndefined()
  })

  it('a request whose deadline passed while it waited is dropped, not written', async () => {
    const client = countingClient(db.documentClient)
    const store = dynamoStore({ tableName: TABLE, documentClient: client })
    const rules = resolved(rule('m', 50, 60, 'fixed-window'))
    const aborted = new AbortController()
    const pending = [
      consume(store, 'dropped', rules, T0),
      Promise.resolve(store.consume({ key: 'dropped', rules, cost: 1, now: T0, signal: aborted.signal })),
    ]
    aborted.abort(new Error('deadline'))
    const [ok, dropped] = await Promise.allSettled(pending)
    expect(ok).toMatchObject({ status: 'fulfilled', value: { allowed: true } })
    expect(dropped).toMatchObject({ status: 'rejected', reason: new Error('deadline') })
    expect(client.commands).toEqual(['UpdateCommand'])
  })
})
