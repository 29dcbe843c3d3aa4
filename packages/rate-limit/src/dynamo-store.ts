import { TtlLruCache } from '@lift/security-core'
import { decide, statuses } from './algorithms'
import { snapshotOf, updateExpression } from './dynamo-expression'
import type { Snapshot } from './snapshot'
import type { ConsumeRequest, ConsumeResult, RateLimitStore } from './store'

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

export const dynamoStoreDefaults = Object.freeze({ keyPrefix: 'rl#', maxCachedKeys: 10_000, maxAttempts: 8 })

type LibDynamoDb = typeof import('@aws-sdk/lib-dynamodb')

/**
 * Counts in one DynamoDB item per key, shared by every container. Each request is ONE conditional
 * UpdateItem covering all its limits, so a refused request consumes nothing and concurrent requests are
 * never admitted beyond a limit. @aws-sdk/lib-dynamodb is imported here, lazily: importing @lift/rate-limit
 * loads no AWS code.
 */
export function dynamoStore(options: DynamoStoreOptions): RateLimitStore {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('dynamoStore: options must be an object')
  const settings = { ...dynamoStoreDefaults, ...withoutUndefined(options) }
  const { tableName, client } = target(options)
  if (typeof settings.keyPrefix !== 'string') throw new TypeError('dynamoStore: keyPrefix must be a string')
  positiveInteger('maxCachedKeys', settings.maxCachedKeys)
  positiveInteger('maxAttempts', settings.maxAttempts)
  const lib = import('@aws-sdk/lib-dynamodb')
  // An unhandled rejection before the first request would crash the process; the request reports it instead.
  lib.catch(() => undefined)
  const lastSeen = new TtlLruCache<string, Snapshot>({
    maxEntries: settings.maxCachedKeys,
    ttlMs: Number.POSITIVE_INFINITY,
  })

  // Requests of one container that fail at the same time share one read: any real state of the item is a
  // valid basis for the next decision (refusals hold because counts only grow; admissions are re-checked).
  const reads = new Map<string, Promise<Snapshot>>()
  const fetchItem = (sdk: LibDynamoDb, pk: string, signal: AbortSignal): Promise<Snapshot> => {
    let read = reads.get(pk)
    if (read === undefined) {
      const command = new sdk.GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true })
      read = (client.send(command as never, { abortSignal: signal }) as Promise<{ Item?: unknown }>)
        .then((output) => snapshotOf(output.Item))
        .finally(() => reads.delete(pk))
      reads.set(pk, read)
    }
    return read
  }

  return {
    ready: () => lib.then(() => undefined),
    async consume(request: ConsumeRequest): Promise<ConsumeResult> {
      const { key, rules, cost, now, signal } = request
      const sdk = await lib
      const pk = settings.keyPrefix + key
      let snapshot = lastSeen.get(pk) ?? {}
      for (let attempt = 0; attempt < settings.maxAttempts; attempt++) {
        signal.throwIfAborted()
        const decision = decide(snapshot, rules, cost, now)
        // Counts, TATs and window numbers only grow, so a refusal read from any real state of the item holds.
        if (!decision.allowed) {
          return {
            allowed: false,
            statuses: statuses(snapshot, rules, now),
            denied: decision.denied,
            blockMs: decision.blockMs,
          }
        }
        const command = new sdk.UpdateCommand({
          TableName: tableName,
          Key: { pk },
          ...updateExpression(decision.plan),
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        })
        try {
          const output = (await client.send(command as never, { abortSignal: signal })) as {
            Attributes?: unknown
          }
          snapshot = snapshotOf(output.Attributes)
          lastSeen.set(pk, snapshot)
          return { allowed: true, statuses: statuses(snapshot, rules, now), blockMs: 0 }
        } catch (error) {
          if ((error as { name?: unknown }).name !== 'ConditionalCheckFailedException') throw error
          // DynamoDB returns the item that failed the condition; a store without that (dynalite) needs a read.
          const item = (error as { Item?: unknown }).Item
          snapshot = item === undefined ? await fetchItem(sdk, pk, signal) : snapshotOf(item)
          lastSeen.set(pk, snapshot)
        }
      }
      throw new Error(`dynamoStore: the item stayed contended for ${settings.maxAttempts} attempts`)
    },
  }
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
