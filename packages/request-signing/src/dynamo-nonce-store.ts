import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { assertKnownOptions } from '@lift/security-core'
import { Entity, item, number, PutItemCommand, string, Table } from 'dynamodb-toolbox'
import type { NonceStore } from './nonce-store'

/**
 * Options of `dynamoNonceStore()`: the table (a dynamodb-toolbox Table, or a name and document client) and the key prefix.
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
 * import { dynamoNonceStore } from '@lift/request-signing/dynamo'
 *
 * dynamoNonceStore({ tableName: 'nonces', documentClient: DynamoDBDocumentClient.from(new DynamoDBClient({})) })
 * ```
 */
export interface DynamoNonceStoreOptions {
  /** A dynamodb-toolbox Table whose partition key is a string named `pk`… */
  table?: Table
  /** …or the table name, with `documentClient`. */
  tableName?: string
  documentClient?: DynamoDBDocumentClient
  /** Prefix of the stored partition key, so that one table can hold other items. Default 'nonce#'. */
  keyPrefix?: string
}

/**
 * Nonces in DynamoDB: one conditional PutItem per claim that succeeds only when no record exists or the
 * stored record has expired. Expiry is compared in code because DynamoDB TTL deletes items late (up to days);
 * `expiresAt` (epoch seconds) is written so that TTL cleans the table eventually.
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
 * import { verifySignature } from '@lift/request-signing'
 * import { dynamoNonceStore } from '@lift/request-signing/dynamo'
 *
 * const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}))
 * const keys = { 'orders-caller': { key: process.env.ORDERS_CALLER_KEY!, alg: 'hmac-sha256' as const } }
 * verifySignature({ keys, nonce: { required: true, store: dynamoNonceStore({ tableName: 'nonces', documentClient }) } })
 * ```
 */
export function dynamoNonceStore(options: DynamoNonceStoreOptions): NonceStore {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('dynamoNonceStore: options must be an object')
  assertKnownOptions('dynamoNonceStore', options, DYNAMO_OPTIONS)
  const keyPrefix = options.keyPrefix ?? 'nonce#'
  const table = options.table ?? tableFromName(options)
  const entity = new Entity({
    name: 'LiftNonce',
    table,
    schema: item({
      pk: string().key(),
      expiresAtMs: number(),
      expiresAt: number(),
    }),
    timestamps: false,
    entityAttribute: false,
    // The table may name its key anything; the nonce key is written as `pk`, which the table must use.
    computeKey: ({ pk }: { pk: string }) => ({ pk }),
  })
  return {
    async claim(nonce, expiresAtMs, nowMs) {
      try {
        await entity
          .build(PutItemCommand)
          .item({ pk: keyPrefix + nonce, expiresAtMs, expiresAt: Math.ceil(expiresAtMs / 1000) })
          .options({
            condition: {
              or: [
                { attr: 'pk', exists: false },
                { attr: 'expiresAtMs', lte: nowMs },
              ],
            },
          })
          .send()
        return true
      } catch (error) {
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false
        throw error
      }
    },
  }
}

const DYNAMO_OPTIONS = new Set(['table', 'tableName', 'documentClient', 'keyPrefix'])

function tableFromName(options: DynamoNonceStoreOptions): Table {
  if (typeof options.tableName !== 'string' || options.tableName === '') {
    throw new TypeError('dynamoNonceStore: give table or tableName')
  }
  if (options.documentClient === undefined)
    throw new TypeError('dynamoNonceStore: tableName needs documentClient')
  return new Table({
    name: options.tableName,
    partitionKey: { name: 'pk', type: 'string' },
    documentClient: options.documentClient,
  })
}
