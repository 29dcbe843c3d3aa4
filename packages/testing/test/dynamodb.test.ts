import {
  DeleteTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb'
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type LocalDynamoDb, startDynamoDb } from '../src/index'

let db: LocalDynamoDb

beforeAll(async () => {
  db = await startDynamoDb()
})

afterAll(async () => {
  await db.stop()
})

describe('startDynamoDb', () => {
  it('listens on 127.0.0.1 and hands out clients for us-east-1', async () => {
    expect(new URL(db.endpoint).hostname).toBe('127.0.0.1')
    expect(db.region).toBe('us-east-1')
    expect(await db.client.config.region()).toBe('us-east-1')
    expect(await db.client.send(new ListTablesCommand({}))).toMatchObject({ TableNames: expect.any(Array) })
  })

  it('creates a table from the simple form, ACTIVE at once, and stores items through the DocumentClient', async () => {
    const table = await db.createTable({ tableName: 'items' })
    expect(table).toMatchObject({
      TableName: 'items',
      TableStatus: 'ACTIVE',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
    })
    await db.documentClient.send(
      new PutCommand({ TableName: 'items', Item: { pk: 'a', count: 1, tags: ['x'] } }),
    )
    const { Item } = await db.documentClient.send(new GetCommand({ TableName: 'items', Key: { pk: 'a' } }))
    expect(Item).toEqual({ pk: 'a', count: 1, tags: ['x'] })
  })

  it('enforces conditions like DynamoDB (an atomic counter stops at its limit)', async () => {
    await db.createTable({ tableName: 'counters' })
    const increment = () =>
      db.documentClient.send(
        new UpdateCommand({
          TableName: 'counters',
          Key: { pk: 'c' },
          UpdateExpression: 'ADD #n :one',
          ConditionExpression: 'attribute_not_exists(#n) OR #n < :limit',
          ExpressionAttributeNames: { '#n': 'n' },
          ExpressionAttributeValues: { ':one': 1, ':limit': 5 },
        }),
      )
    const results = await Promise.allSettled(Array.from({ length: 8 }, increment))
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(5)
    const { Item } = await db.documentClient.send(new GetCommand({ TableName: 'counters', Key: { pk: 'c' } }))
    expect(Item?.n).toBe(5)
  })

  it('creates a table with a typed sort key and queries it', async () => {
    await db.createTable({
      tableName: 'events',
      partitionKey: 'tenant',
      sortKey: { name: 'at', type: 'N' },
    })
    for (const at of [3, 1, 2]) {
      await db.documentClient.send(new PutCommand({ TableName: 'events', Item: { tenant: 't1', at } }))
    }
    const { Items } = await db.documentClient.send(
      new QueryCommand({
        TableName: 'events',
        KeyConditionExpression: 'tenant = :t',
        ExpressionAttributeValues: { ':t': 't1' },
      }),
    )
    expect(Items?.map((item) => item.at)).toEqual([1, 2, 3])
  })

  it('creates a table from a full CreateTable input', async () => {
    const table = await db.createTable({
      TableName: 'full',
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'B' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    })
    expect(table).toMatchObject({ TableName: 'full', TableStatus: 'ACTIVE' })
  })

  it('enables TTL on the given attribute, as DescribeTimeToLive reports', async () => {
    await db.createTable({ tableName: 'limits', ttlAttribute: 'expiresAt' })
    const { TimeToLiveDescription } = await db.client.send(
      new DescribeTimeToLiveCommand({ TableName: 'limits' }),
    )
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' })
    // Like DynamoDB, expired items are not removed on read: code must check expiry itself.
    await db.documentClient.send(new PutCommand({ TableName: 'limits', Item: { pk: 'k', expiresAt: 1 } }))
    const { Item } = await db.documentClient.send(new GetCommand({ TableName: 'limits', Key: { pk: 'k' } }))
    expect(Item).toEqual({ pk: 'k', expiresAt: 1 })
  })

  it('answers UpdateTimeToLive and DescribeTimeToLive as DynamoDB does', async () => {
    await db.createTable({ tableName: 'ttl-ops' })
    const describe = async () =>
      (await db.client.send(new DescribeTimeToLiveCommand({ TableName: 'ttl-ops' }))).TimeToLiveDescription
    expect(await describe()).toEqual({ TimeToLiveStatus: 'DISABLED' })
    const update = (Enabled: boolean) =>
      db.client.send(
        new UpdateTimeToLiveCommand({
          TableName: 'ttl-ops',
          TimeToLiveSpecification: { Enabled, AttributeName: 'ttl' },
        }),
      )
    expect((await update(true)).TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'ttl' })
    await expect(update(true)).rejects.toMatchObject({
      name: 'ValidationException',
      message: /already enabled/,
    })
    await update(false)
    expect(await describe()).toEqual({ TimeToLiveStatus: 'DISABLED' })
    await expect(update(false)).rejects.toMatchObject({
      name: 'ValidationException',
      message: /already disabled/,
    })
    await expect(
      db.client.send(
        new UpdateTimeToLiveCommand({ TableName: 'ttl-ops', TimeToLiveSpecification: undefined }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' })
  })

  it('forgets TTL when a table is deleted and created again under the same name', async () => {
    await db.createTable({ tableName: 'recreated', ttlAttribute: 'exp' })
    await db.client.send(new DeleteTableCommand({ TableName: 'recreated' }))
    await db.createTable({ tableName: 'recreated' })
    const { TimeToLiveDescription } = await db.client.send(
      new DescribeTimeToLiveCommand({ TableName: 'recreated' }),
    )
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' })
  })

  it('reports TTL operations on a missing table or with a bad name as DynamoDB does', async () => {
    await expect(
      db.client.send(new DescribeTimeToLiveCommand({ TableName: 'missing' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException)
    for (const TableName of ['ab', 'bad name!']) {
      await expect(db.client.send(new DescribeTimeToLiveCommand({ TableName }))).rejects.toMatchObject({
        name: 'ValidationException',
      })
    }
    const raw = await fetch(db.endpoint, {
      method: 'POST',
      headers: {
        'x-amz-target': 'DynamoDB_20120810.DescribeTimeToLive',
        'content-type': 'application/x-amz-json-1.0',
      },
      body: '[not an object',
      signal: AbortSignal.timeout(5_000),
    })
    expect(raw.status).toBe(400)
    expect(await raw.json()).toMatchObject({ __type: 'com.amazon.coral.service#SerializationException' })
  })

  it('leaves other operations to dynalite (validation included)', async () => {
    await expect(db.createTable({ tableName: 'x' })).rejects.toMatchObject({ name: 'ValidationException' })
  })
})

describe('several instances and stop()', () => {
  it('runs independent instances, honours options, and stop() twice is safe', async () => {
    const other = await startDynamoDb({
      region: 'eu-west-1',
      maxItemSizeKb: 1,
      clientConfig: { maxAttempts: 1 },
    })
    try {
      expect(other.endpoint).not.toBe(db.endpoint)
      expect(other.region).toBe('eu-west-1')
      await other.createTable({ tableName: 'items' })
      await expect(
        other.documentClient.send(
          new PutCommand({ TableName: 'items', Item: { pk: 'big', data: 'x'.repeat(2048) } }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException' })
    } finally {
      await other.stop()
      await other.stop()
    }
    const probe = new DynamoDBClient({
      endpoint: other.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    })
    await expect(probe.send(new ListTablesCommand({}))).rejects.toThrow()
    probe.destroy()
  })
})
