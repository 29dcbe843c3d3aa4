import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type LocalDynamoDb, startDynamoDb } from '@lift/testing'
import { Table } from 'dynamodb-toolbox'
import { dynamoNonceStore } from '../src/dynamo'
import { memoryNonceStore, memoryNonceStoreDefaults } from '../src/index'
import { invoke } from './support/harness'
import { hmacSign, keys, NOW_MS, now } from './support/keys'
import { signedTestRequest } from './support/signed-test-request'

describe('memoryNonceStore', () => {
  it('accepts a nonce once until it expires, then again', async () => {
    const store = memoryNonceStore()
    expect(await store.claim('n', 2000, 1000)).toBe(true)
    expect(await store.claim('n', 2000, 1999)).toBe(false)
    expect(await store.claim('n', 4000, 2000)).toBe(true)
    expect(await store.claim('other', 4000, 2000)).toBe(true)
  })

  it('stays bounded: drops expired nonces first, then the oldest', async () => {
    const store = memoryNonceStore({ maxEntries: 2 })
    await store.claim('a', 1500, 1000)
    await store.claim('b', 9000, 1000)
    await store.claim('c', 9000, 2000) // 'a' expired and is dropped, 'b' stays
    expect(await store.claim('b', 9000, 2000)).toBe(false)
    await store.claim('d', 9000, 2000) // full of live nonces: the oldest ('b') goes
    expect(await store.claim('c', 9000, 2000)).toBe(false)
    expect(await store.claim('b', 9000, 2000)).toBe(true)
  })

  it('validates maxEntries', () => {
    expect(() => memoryNonceStore({ maxEntries: 0 })).toThrow('maxEntries')
    expect(memoryNonceStoreDefaults.maxEntries).toBe(100_000)
  })
})

describe('dynamoNonceStore on dynalite', () => {
  let db: LocalDynamoDb

  beforeAll(async () => {
    db = await startDynamoDb()
    await db.createTable({ tableName: 'nonces', ttlAttribute: 'expiresAt' })
  })

  afterAll(async () => {
    await db.stop()
  })

  it('claims a nonce once, and again after it expired although the item is still there', async () => {
    const store = dynamoNonceStore({ tableName: 'nonces', documentClient: db.documentClient })
    expect(await store.claim('k:n1', NOW_MS + 1000, NOW_MS)).toBe(true)
    expect(await store.claim('k:n1', NOW_MS + 1000, NOW_MS + 999)).toBe(false)
    expect(await store.claim('k:n1', NOW_MS + 5000, NOW_MS + 1000)).toBe(true)
  })

  it('accepts a dynamodb-toolbox Table and writes the TTL attribute in seconds', async () => {
    const table = new Table({
      name: 'nonces',
      partitionKey: { name: 'pk', type: 'string' },
      documentClient: db.documentClient,
    })
    const store = dynamoNonceStore({ table, keyPrefix: 'n/' })
    expect(await store.claim('abc', NOW_MS + 1500, NOW_MS)).toBe(true)
    const { GetCommand } = await import('@aws-sdk/lib-dynamodb')
    const { Item } = await db.documentClient.send(
      new GetCommand({ TableName: 'nonces', Key: { pk: 'n/abc' } }),
    )
    expect(Item).toEqual({
      pk: 'n/abc',
      expiresAtMs: NOW_MS + 1500,
      expiresAt: Math.ceil((NOW_MS + 1500) / 1000),
    })
  })

  it('100 concurrent replays of one signed request: exactly one is accepted', async () => {
    const store = dynamoNonceStore({ tableName: 'nonces', documentClient: db.documentClient })
    const event = signedTestRequest({ body: '{"pay":1}' }, { ...hmacSign, nonce: 'once-only' })
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () =>
        invoke({ keys, now, nonce: { store, required: true } }, structuredClone(event)),
      ),
    )
    const statuses = outcomes.map((outcome) => outcome.statusCode)
    expect(statuses.filter((status) => status === 200)).toHaveLength(1)
    expect(statuses.filter((status) => status === 401)).toHaveLength(99)
  })

  it('propagates DynamoDB errors other than a failed condition (as a 500, not a 401)', async () => {
    const store = dynamoNonceStore({ tableName: 'missing-table', documentClient: db.documentClient })
    await expect(store.claim('x', NOW_MS + 1000, NOW_MS)).rejects.toThrow()
    const event = signedTestRequest({}, { ...hmacSign, nonce: 'n-2' })
    const outcome = await invoke({ keys, now, nonce: { store } }, event)
    expect(outcome.statusCode).toBe(500)
  })

  it('validates its options', () => {
    expect(() => dynamoNonceStore(undefined as never)).toThrow('options must be an object')
    expect(() => dynamoNonceStore({})).toThrow('give table or tableName')
    expect(() => dynamoNonceStore({ tableName: 'nonces' })).toThrow('documentClient')
    expect(() =>
      dynamoNonceStore({ tableName: 'nonces', documentClient: db.documentClient, prefix: 'n#' } as never),
    ).toThrow('dynamoNonceStore: unknown option "prefix"')
  })
})
