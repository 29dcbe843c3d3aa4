import { snapshotOf, updateExpression } from './dynamo-expression'
import { checkOptionNames } from './option-names'
import { type PlanBackend, planStore } from './plan-store'
import type { RateLimitStore } from './store'

/** What dynamoStore needs of a DynamoDBDocumentClient (from @aws-sdk/lib-dynamodb). */
export interface DocumentClientLike {
  send(command: never, options?: { abortSignal?: AbortSignal }): Promise<unknown>
}

/** What dynamoStore reads from a dynamodb-toolbox v2 `Table`. */
export interface ToolboxTableLike {
  getName(): string
  getDocumentClient(): unknown
  readonly partitionKey: { readonly name: string; readonly type: string }
}

/**
 * Options of `dynamoStore()`: the table (a dynamodb-toolbox Table, or a name and document client) and its tuning.
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
 * import { dynamoStore } from '@lift/rate-limit'
 *
 * dynamoStore({
 *   tableName: process.env.RATE_LIMIT_TABLE_NAME!,
 *   documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({})),
 *   keyPrefix: 'rl#',
 * })
 * ```
 */
export interface DynamoStoreOptions {
  /** A dynamodb-toolbox Table with a string partition key named `pk` and a document client… */
  table?: ToolboxTableLike
  /** …or the table name with `documentClient`. */
  tableName?: string
  documentClient?: DocumentClientLike
  /** Prefix of the stored partition key, so that one table can hold other items. Default 'rl#'. */
  keyPrefix?: string
  /** Keys whose last seen item this container remembers (it saves round trips, never decides alone). Default 10 000. */
  maxCachedKeys?: number
  /** Conditional writes tried per request before giving up (a store error). Default 8. */
  maxAttempts?: number
}

/** Defaults of `dynamoStore()`: keys prefixed `rl#`, 10 000 keys remembered, 8 conditional writes at most. */
export const dynamoStoreDefaults = Object.freeze({ keyPrefix: 'rl#', maxCachedKeys: 10_000, maxAttempts: 8 })

type LibDynamoDb = typeof import('@aws-sdk/lib-dynamodb')

const OPTION_NAMES: ReadonlySet<string> = new Set([
  'table',
  'tableName',
  'documentClient',
  'keyPrefix',
  'maxCachedKeys',
  'maxAttempts',
])

/**
 * Counts in one DynamoDB item per key, shared by every container. Each write is ONE conditional
 * UpdateItem covering all limits of the requests it charges, so a refused request consumes nothing and
 * concurrent requests are never admitted beyond a limit. Concurrent requests of one container for one key
 * share a write, and those that no longer fit are refused from the item it returned, without a call.
 * @aws-sdk/lib-dynamodb is imported here, lazily: importing @lift/rate-limit loads no AWS code.
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
 * import { dynamoStore, rateLimit } from '@lift/rate-limit'
 * import middy from '@middy/core'
 *
 * const store = dynamoStore({
 *   tableName: 'rate-limits',
 *   documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({})),
 * })
 * export const main = middy()
 *   .use(rateLimit({ key: 'ip', limits: [{ name: 'minute', limit: 60, windowSec: 60, algorithm: 'sliding-window' }], store }))
 *   .handler(async () => ({ statusCode: 200, body: 'ok' }))
 * ```
 */
export function dynamoStore(options: DynamoStoreOptions): RateLimitStore {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('dynamoStore: options must be an object')
  checkOptionNames(options, OPTION_NAMES, 'dynamoStore')
  const settings = { ...dynamoStoreDefaults, ...withoutUndefined(options) }
  const { tableName, client } = target(options)
  if (typeof settings.keyPrefix !== 'string') throw new TypeError('dynamoStore: keyPrefix must be a string')
  positiveInteger('maxCachedKeys', settings.maxCachedKeys)
  positiveInteger('maxAttempts', settings.maxAttempts)
  const lib = import('@aws-sdk/lib-dynamodb')
  // An unhandled rejection before the first request would crash the process; the request reports it instead.
  lib.catch(() => undefined)
  const { keyPrefix } = settings

  const backend: PlanBackend = {
    ready: () => lib.then(() => undefined),
    async apply(key, plan, _now, signal) {
      const sdk: LibDynamoDb = await lib
      const command = new sdk.UpdateCommand({
        TableName: tableName,
        Key: { pk: keyPrefix + key },
        ...updateExpression(plan),
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      })
      try {
        const output = (await client.send(command as never, { abortSignal: signal })) as {
          Attributes?: unknown
        }
        return { applied: true, snapshot: snapshotOf(output.Attributes) }
      } catch (error) {
        if ((error as { name?: unknown }).name !== 'ConditionalCheckFailedException') throw error
        // DynamoDB returns the item that failed the condition; a store without that (dynalite) needs a read.
        const item = (error as { Item?: unknown }).Item
        return { applied: false, snapshot: item === undefined ? undefined : snapshotOf(item) }
      }
    },
    async read(key, signal) {
      const sdk: LibDynamoDb = await lib
      const command = new sdk.GetCommand({
        TableName: tableName,
        Key: { pk: keyPrefix + key },
        ConsistentRead: true,
      })
      const output = (await client.send(command as never, { abortSignal: signal })) as { Item?: unknown }
      return snapshotOf(output.Item)
    },
  }
  return planStore(backend, { owner: 'dynamoStore', ...settings })
}

function target(options: DynamoStoreOptions): { tableName: string; client: DocumentClientLike } {
  if (options.table !== undefined) {
    const table = options.table
    if (typeof table?.getName !== 'function' || typeof table.getDocumentClient !== 'function')
      throw new TypeError('dynamoStore: table must be a dynamodb-toolbox Table')
    if (table.partitionKey?.name !== 'pk' || table.partitionKey.type !== 'string')
      throw new TypeError("dynamoStore: the table's partition key must be a string named 'pk'")
    const client = options.documentClient ?? (table.getDocumentClient() as DocumentClientLike)
    return { tableName: table.getName(), client: checkedClient(client) }
  }
  if (typeof options.tableName !== 'string' || options.tableName === '')
    throw new TypeError('dynamoStore: give table or tableName')
  if (options.documentClient === undefined) throw new TypeError('dynamoStore: tableName needs documentClient')
  return { tableName: options.tableName, client: checkedClient(options.documentClient) }
}

function checkedClient(client: DocumentClientLike | undefined): DocumentClientLike {
  if (typeof client?.send !== 'function')
    throw new TypeError('dynamoStore: documentClient must be a DynamoDBDocumentClient')
  return client
}

function positiveInteger(name: string, value: unknown): void {
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    throw new RangeError(`dynamoStore: ${name} must be a positive integer`)
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
