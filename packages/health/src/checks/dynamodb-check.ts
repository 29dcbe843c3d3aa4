import type { HealthCheckDefinition } from '../check-definition'
import { assertOptionsObject, type BuiltInCheckOptions, commonSettings, errorName } from './check-options'

/** The part of a DynamoDBClient the check uses (a `new DynamoDBClient(...)` fits). */
export interface DynamoDbClientLike {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>
}

/**
 * Options of `dynamoDbCheck()`: the DynamoDB client and the table to describe.
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { dynamoDbCheck } from '@lift/health'
 *
 * dynamoDbCheck({ client: new DynamoDBClient({}), tableName: process.env.TABLE_NAME!, warnAboveMs: 200 })
 * ```
 */
export interface DynamoDbCheckOptions extends BuiltInCheckOptions {
  client: DynamoDbClientLike
  tableName: string
}

type DescribeTableCommandClass = new (input: { TableName: string }) => unknown

const USABLE_STATUSES = new Set(['ACTIVE', 'UPDATING'])

/**
 * DescribeTable on the table (a control-plane read that costs no capacity): ACTIVE or UPDATING passes;
 * a missing table, another status or an error fails. Key `dynamodb:responseTime` unless `name` is given.
 * @aws-sdk/client-dynamodb (an optional peer) is imported on the first run, not when this module loads.
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { dynamoDbCheck, healthCheck } from '@lift/health'
 *
 * healthCheck({ checks: { orders: dynamoDbCheck({ client: new DynamoDBClient({}), tableName: 'orders' }) } })
 * ```
 */
export function dynamoDbCheck(options: DynamoDbCheckOptions): HealthCheckDefinition {
  assertOptionsObject(options, 'dynamoDbCheck')
  const { client, tableName } = options
  if (typeof client?.send !== 'function')
    throw new TypeError('dynamoDbCheck: client must be a DynamoDBClient (with a send method)')
  if (typeof tableName !== 'string' || tableName === '')
    throw new TypeError('dynamoDbCheck: tableName must be a non-empty string')
  let command: Promise<DescribeTableCommandClass> | undefined
  return {
    name: options.name ?? 'dynamodb:responseTime',
    componentType: 'datastore',
    componentId: tableName,
    ...commonSettings(options),
    check: async ({ signal }) => {
      command ??= import('@aws-sdk/client-dynamodb').then((sdk) => sdk.DescribeTableCommand)
      const DescribeTableCommand = await command
      let tableStatus: unknown
      try {
        const output = await client.send(new DescribeTableCommand({ TableName: tableName }), {
          abortSignal: signal,
        })
        tableStatus = (output as { Table?: { TableStatus?: unknown } } | undefined)?.Table?.TableStatus
      } catch (error) {
        const name = errorName(error)
        return {
          status: 'fail',
          output: name === 'ResourceNotFoundException' ? 'table not found' : `DescribeTable failed (${name})`,
        }
      }
      if (typeof tableStatus === 'string' && USABLE_STATUSES.has(tableStatus)) return { status: 'pass' }
      return { status: 'fail', output: `table status ${String(tableStatus)}` }
    },
  }
}
