import type { Server } from 'node:http'
import type {
  CreateTableCommandInput,
  DynamoDBClient,
  DynamoDBClientConfig,
  ScalarAttributeType,
  TableDescription,
} from '@aws-sdk/client-dynamodb'
import type { DynamoDBDocumentClient, TranslateConfig } from '@aws-sdk/lib-dynamodb'
import { answerTimeToLive } from './dynamodb-time-to-live'
import { baseUrl, closeServer, listen } from './local-http-server'

/**
 * Options of {@link startDynamoDb}; every one is optional.
 *
 * @example
 * ```ts
 * import { startDynamoDb } from '@lift/testing'
 *
 * const db = await startDynamoDb({
 *   region: 'eu-west-1',
 *   clientConfig: { maxAttempts: 1 },
 *   translateConfig: { marshallOptions: { removeUndefinedValues: true } },
 *   maxItemSizeKb: 64,
 * })
 * ```
 */
export interface StartDynamoDbOptions {
  /** Region of the clients (default `us-east-1`). */
  region?: string
  /** Extra DynamoDBClient settings (endpoint, region and credentials are set by startDynamoDb). */
  clientConfig?: Omit<DynamoDBClientConfig, 'endpoint' | 'region' | 'credentials'>
  /** Marshalling options of the DocumentClient (default: the SDK's defaults). */
  translateConfig?: TranslateConfig
  /** Largest item dynalite accepts, in KiB (default 400, as DynamoDB). */
  maxItemSizeKb?: number
}

/** A key attribute: a name (type `S`) or a name and type. */
export type KeyAttribute = string | { readonly name: string; readonly type: ScalarAttributeType }

/** A pay-per-request table described by its keys. */
export interface SimpleTableDefinition {
  tableName: string
  /** Default `pk` (type S). */
  partitionKey?: KeyAttribute
  sortKey?: KeyAttribute
  /** Enable TTL on this attribute (DescribeTimeToLive then reports it ENABLED). */
  ttlAttribute?: string
}

/**
 * A running embedded DynamoDB from {@link startDynamoDb}: its endpoint, clients pointed at it, and table
 * creation.
 *
 * @example
 * ```ts
 * import { PutCommand } from '@aws-sdk/lib-dynamodb'
 * import { type LocalDynamoDb, startDynamoDb } from '@lift/testing'
 *
 * const db: LocalDynamoDb = await startDynamoDb()
 * await db.createTable({ tableName: 'orders', partitionKey: 'pk', sortKey: 'sk' })
 * await db.documentClient.send(new PutCommand({ TableName: 'orders', Item: { pk: 'o#42', sk: 'v1' } }))
 * await db.stop()
 * ```
 */
export interface LocalDynamoDb {
  /** `http://127.0.0.1:<port>`: give it to any AWS SDK client as `endpoint`. */
  readonly endpoint: string
  readonly region: string
  /** A DynamoDBClient on the endpoint, with dummy credentials. */
  readonly client: DynamoDBClient
  /** A DynamoDBDocumentClient over `client`. */
  readonly documentClient: DynamoDBDocumentClient
  /** Creates a table (a full CreateTable input or the simple form) and resolves once it is ACTIVE. */
  createTable(definition: CreateTableCommandInput | SimpleTableDefinition): Promise<TableDescription>
  /** Destroys the clients and closes the server. Safe to call twice. */
  stop(): Promise<void>
}

const TABLE_ACTIVE_TIMEOUT_MS = 10_000

/**
 * An embedded DynamoDB (dynalite, in memory) on 127.0.0.1 with a free port, clients pointed at it, and
 * tables that become ACTIVE at once. dynalite and the AWS SDK are loaded on first call.
 *
 * @example
 * ```ts
 * import { GetCommand } from '@aws-sdk/lib-dynamodb'
 * import { startDynamoDb } from '@lift/testing'
 *
 * const db = await startDynamoDb()
 * await db.createTable({ tableName: 'rate-limits', ttlAttribute: 'expiresAt' })
 * // hand db.documentClient (or db.endpoint and db.region) to the code under test, then:
 * const { Item } = await db.documentClient.send(new GetCommand({ TableName: 'rate-limits', Key: { pk: 'ip#203.0.113.10' } }))
 * await db.stop()
 * ```
 */
export async function startDynamoDb(options: StartDynamoDbOptions = {}): Promise<LocalDynamoDb> {
  const [{ default: dynalite }, sdk, lib] = await Promise.all([
    import('dynalite'),
    import('@aws-sdk/client-dynamodb'),
    import('@aws-sdk/lib-dynamodb'),
  ])
  const region = options.region ?? 'us-east-1'
  const server: Server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.maxItemSizeKb === undefined ? {} : { maxItemSizeKb: options.maxItemSizeKb }),
  })
  const endpoint = baseUrl(await listen(server, 0, '127.0.0.1'))
  const client = new sdk.DynamoDBClient({
    ...options.clientConfig,
    endpoint,
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  })
  const documentClient = lib.DynamoDBDocumentClient.from(client, options.translateConfig)

  const describeTable = async (tableName: string): Promise<TableDescription | undefined> => {
    try {
      return (await client.send(new sdk.DescribeTableCommand({ TableName: tableName }))).Table
    } catch (error) {
      if (error instanceof sdk.ResourceNotFoundException) return undefined
      throw error
    }
  }
  answerTimeToLive(server, async (tableName) => (await describeTable(tableName))?.CreationDateTime?.getTime())

  let stopping: Promise<void> | undefined
  return {
    endpoint,
    region,
    client,
    documentClient,
    async createTable(definition) {
      const input = 'TableName' in definition ? definition : simpleTableInput(definition)
      await client.send(new sdk.CreateTableCommand(input))
      const table = await waitUntilActive(input.TableName!, describeTable)
      if ('ttlAttribute' in definition && definition.ttlAttribute) {
        await client.send(
          new sdk.UpdateTimeToLiveCommand({
            TableName: input.TableName,
            TimeToLiveSpecification: { Enabled: true, AttributeName: definition.ttlAttribute },
          }),
        )
      }
      return table
    },
    stop() {
      stopping ??= (async () => {
        client.destroy()
        await closeServer(server)
      })()
      return stopping
    },
  }
}

function simpleTableInput(definition: SimpleTableDefinition): CreateTableCommandInput {
  const partition = keyAttribute(definition.partitionKey ?? 'pk')
  const sort = definition.sortKey === undefined ? undefined : keyAttribute(definition.sortKey)
  const keys = sort ? [partition, sort] : [partition]
  return {
    TableName: definition.tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: keys.map((key, index) => ({
      AttributeName: key.name,
      KeyType: index === 0 ? 'HASH' : 'RANGE',
    })),
  }
}

function keyAttribute(key: KeyAttribute): { name: string; type: ScalarAttributeType } {
  return typeof key === 'string' ? { name: key, type: 'S' } : key
}

async function waitUntilActive(
  tableName: string,
  describeTable: (tableName: string) => Promise<TableDescription | undefined>,
): Promise<TableDescription> {
  const deadline = Date.now() + TABLE_ACTIVE_TIMEOUT_MS
  for (;;) {
    const table = await describeTable(tableName)
    if (table?.TableStatus === 'ACTIVE') return table
    if (Date.now() > deadline)
      throw new Error(`Table ${tableName} did not become ACTIVE within ${TABLE_ACTIVE_TIMEOUT_MS} ms`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
