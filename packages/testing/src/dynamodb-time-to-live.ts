// dynalite answers DescribeTimeToLive with DISABLED for every table and does not know UpdateTimeToLive.
// This layer in front of it keeps each table's TTL setting in memory and answers both operations the
// way DynamoDB does, so code that enables TTL runs unchanged. Like DynamoDB (which deletes expired
// items up to days late), nothing is ever deleted: code must check expiry itself.
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http'

const TARGET_PREFIX = 'DynamoDB_20120810.'
const MAX_BODY_BYTES = 64 * 1024
const TABLE_NAME = /^[a-zA-Z0-9_.-]{3,255}$/

/** When a table was created (epoch ms), or undefined when it does not exist. */
export type TableCreationTime = (tableName: string) => Promise<number | undefined>

interface TimeToLiveSetting {
  readonly attributeName: string
  /** A table deleted and created again under the same name starts with TTL disabled. */
  readonly tableCreatedAt: number
}

class DynamoDbError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message)
  }
}

/** Puts the TTL operations in front of dynalite's request listener. */
export function answerTimeToLive(server: Server, tableCreationTime: TableCreationTime): void {
  const settings = new Map<string, TimeToLiveSetting>()
  const dynalite = server.listeners('request')[0] as RequestListener
  server.removeAllListeners('request')
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const target = request.headers['x-amz-target']
    if (target === `${TARGET_PREFIX}UpdateTimeToLive` || target === `${TARGET_PREFIX}DescribeTimeToLive`) {
      answer(target.slice(TARGET_PREFIX.length), request, settings, tableCreationTime).then(
        (result) => send(response, 200, result),
        (error: unknown) => {
          const known = error instanceof DynamoDbError
          const type = known ? error.type : 'com.amazonaws.dynamodb.v20120810#InternalServerError'
          send(response, known ? 400 : 500, {
            __type: type,
            message: known ? error.message : 'Internal error',
          })
        },
      )
    } else {
      dynalite.call(server, request, response)
    }
  })
}

async function answer(
  operation: string,
  request: IncomingMessage,
  settings: Map<string, TimeToLiveSetting>,
  tableCreationTime: TableCreationTime,
): Promise<unknown> {
  const input = await readJson(request)
  const tableName = input.TableName
  if (typeof tableName !== 'string' || !TABLE_NAME.test(tableName)) {
    throw validation(
      "Value at 'tableName' failed to satisfy constraint: Member must have length between 3 and 255 and match [a-zA-Z0-9_.-]+",
    )
  }
  const createdAt = await tableCreationTime(tableName)
  if (createdAt === undefined) {
    throw new DynamoDbError(
      'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
      `Requested resource not found: Table: ${tableName} not found`,
    )
  }
  const setting = settings.get(tableName)
  const enabled = setting !== undefined && setting.tableCreatedAt === createdAt

  if (operation === 'DescribeTimeToLive') {
    return {
      TimeToLiveDescription: enabled
        ? { TimeToLiveStatus: 'ENABLED', AttributeName: setting.attributeName }
        : { TimeToLiveStatus: 'DISABLED' },
    }
  }
  const specification = input.TimeToLiveSpecification as Record<string, unknown> | undefined
  const attributeName = specification?.AttributeName
  if (
    typeof specification?.Enabled !== 'boolean' ||
    typeof attributeName !== 'string' ||
    attributeName === ''
  ) {
    throw validation('TimeToLiveSpecification needs Enabled (boolean) and AttributeName (non-empty string)')
  }
  if (specification.Enabled === enabled) {
    throw validation(`TimeToLive is already ${enabled ? 'enabled' : 'disabled'}`)
  }
  if (specification.Enabled) settings.set(tableName, { attributeName, tableCreatedAt: createdAt })
  else settings.delete(tableName)
  return { TimeToLiveSpecification: { Enabled: specification.Enabled, AttributeName: attributeName } }
}

function validation(message: string): DynamoDbError {
  return new DynamoDbError('com.amazon.coral.validate#ValidationException', message)
}

async function readJson(request: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of request) {
    length += (chunk as Buffer).length
    if (length > MAX_BODY_BYTES) throw validation('Request body too large')
    chunks.push(chunk as Buffer)
  }
  try {
    const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>
  } catch {
    // reported below, as DynamoDB reports any body that is not a JSON object
  }
  throw new DynamoDbError(
    'com.amazon.coral.service#SerializationException',
    'Start of structure or map found where not expected',
  )
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body))
  response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'content-length': bytes.length })
  response.end(bytes)
}
