import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createSecretsProvider } from '@lift/security-core'
import {
  type LocalDynamoDb,
  type SecretsManagerServer,
  startDynamoDb,
  startSecretsManagerServer,
} from '@lift/testing'
import {
  dynamoDbCheck,
  type HealthCheckDefinition,
  type HealthReport,
  httpCheck,
  memoryCheck,
  runHealthChecks,
  secretsManagerCheck,
} from '../src/index'
import { expectHealthJson } from './support/health-schema'
import { type HttpTargets, startHttpTargets } from './support/http-targets'

const TABLE = 'orders'
const SECRET_ID = 'orders/api-key'
const SECRET_VALUE = 'sk_live_do_not_leak_0123456789'

let db: LocalDynamoDb
let secretsManager: SecretsManagerServer
let secretsClient: SecretsManagerClient
let targets: HttpTargets

beforeAll(async () => {
  ;[db, secretsManager, targets] = await Promise.all([
    startDynamoDb(),
    startSecretsManagerServer(),
    startHttpTargets(),
  ])
  await db.createTable({ tableName: TABLE })
  secretsManager.putSecret(SECRET_ID, SECRET_VALUE)
  secretsClient = new SecretsManagerClient({
    endpoint: secretsManager.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
})

afterAll(async () => {
  secretsClient?.destroy()
  await Promise.all([db?.stop(), secretsManager?.close(), targets?.close()])
})

/** Runs one check (as a scheduled run would) and returns its single entry, after validating the report. */
async function entryOf(definition: HealthCheckDefinition) {
  const report = await runHealthChecks([definition])
  expectHealthJson(JSON.stringify(report))
  const entries = Object.values((report as HealthReport).checks)
  expect(entries).toHaveLength(1)
  return { ...entries[0]![0]!, key: Object.keys(report.checks)[0] }
}

describe('dynamoDbCheck() against dynalite', () => {
  it('passes when the table exists (DescribeTable → ACTIVE)', async () => {
    const entry = await entryOf(dynamoDbCheck({ client: db.client, tableName: TABLE }))
    expect(entry).toEqual({
      key: 'dynamodb:responseTime',
      componentId: TABLE,
      componentType: 'datastore',
      observedValue: expect.any(Number),
      observedUnit: 'ms',
      status: 'pass',
      time: expect.any(String),
    })
  })

  it('fails with "table not found" when the table is missing', async () => {
    const entry = await entryOf(
      dynamoDbCheck({ client: db.client, tableName: 'no-such-table', name: 'orders:table' }),
    )
    expect(entry).toEqual(
      expect.objectContaining({ key: 'orders:table', status: 'fail', output: 'table not found' }),
    )
  })

  it('fails naming only the error type when DynamoDB cannot be reached', async () => {
    const unreachable = {
      send: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND secret-host.internal'), { name: 'TimeoutError' })
      },
    }
    const entry = await entryOf(dynamoDbCheck({ client: unreachable, tableName: TABLE }))
    expect(entry.output).toBe('DescribeTable failed (TimeoutError)')
  })

  it('fails when the table is not usable (e.g. DELETING)', async () => {
    const deleting = { send: async () => ({ Table: { TableStatus: 'DELETING' } }) }
    expect((await entryOf(dynamoDbCheck({ client: deleting, tableName: TABLE }))).output).toBe(
      'table status DELETING',
    )
  })

  it('passes the abort signal to the client', async () => {
    let received: unknown
    const client = {
      send: async (_command: unknown, options?: { abortSignal?: AbortSignal }) => {
        received = options?.abortSignal
        return { Table: { TableStatus: 'UPDATING' } }
      },
    }
    expect((await entryOf(dynamoDbCheck({ client, tableName: TABLE }))).status).toBe('pass')
    expect(received).toBeInstanceOf(AbortSignal)
  })

  it('validates its options', () => {
    expect(() => dynamoDbCheck({ client: {} as never, tableName: TABLE })).toThrow(
      /client must be a DynamoDBClient/,
    )
    expect(() => dynamoDbCheck({ client: db.client, tableName: '' })).toThrow(/tableName/)
    expect(() => dynamoDbCheck(undefined as never)).toThrow(/options must be an object/)
  })
})

describe('secretsManagerCheck() against a Secrets Manager endpoint on 127.0.0.1', () => {
  it('passes when the secret exists, and never reports its value', async () => {
    const provider = createSecretsProvider({ client: secretsClient })
    const report = await runHealthChecks([secretsManagerCheck({ secretId: SECRET_ID, provider })])
    expect(report.checks['secretsmanager:responseTime']![0]).toEqual(
      expect.objectContaining({ componentId: SECRET_ID, status: 'pass' }),
    )
    expect(JSON.stringify(report)).not.toContain(SECRET_VALUE)
  })

  it('fails with "secret not found" when the secret is missing', async () => {
    const provider = createSecretsProvider({ client: secretsClient })
    const entry = await entryOf(secretsManagerCheck({ secretId: 'orders/missing', provider }))
    expect(entry).toEqual(expect.objectContaining({ status: 'fail', output: 'secret not found' }))
  })

  it('fails with the provider error code when Secrets Manager errors', async () => {
    secretsManager.failNext('internal-error')
    const provider = createSecretsProvider({ client: secretsClient })
    const entry = await entryOf(secretsManagerCheck({ secretId: SECRET_ID, provider }))
    expect(entry.output).toBe('secret unavailable (secret-unavailable)')
    const broken = { get: async () => Promise.reject(new Error('weird')) } as never
    expect((await entryOf(secretsManagerCheck({ secretId: SECRET_ID, provider: broken }))).output).toBe(
      'secret unavailable',
    )
  })

  it("adds no calls: checks inside the application's provider TTL are answered from its cache", async () => {
    const provider = createSecretsProvider({ client: secretsClient })
    await provider.get(SECRET_ID) // the application reading its secret
    const before = secretsManager.requestCount
    const check = secretsManagerCheck({ secretId: SECRET_ID, provider })
    for (let i = 0; i < 5; i += 1) expect((await entryOf(check)).status).toBe('pass')
    expect(secretsManager.requestCount).toBe(before)
  })

  it('creates its own provider when none is given (the SDK reads endpoint and region from the environment)', async () => {
    const saved = { ...process.env }
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    })
    try {
      expect((await entryOf(secretsManagerCheck({ secretId: SECRET_ID }))).status).toBe('pass')
    } finally {
      process.env = saved
    }
  })

  it('validates its options', () => {
    expect(() => secretsManagerCheck({ secretId: '' })).toThrow(/secretId/)
    expect(() => secretsManagerCheck({ secretId: 'x', provider: {} as never })).toThrow(/provider must be/)
  })
})

describe('httpCheck() against real HTTP servers on 127.0.0.1', () => {
  it('passes on 200, naming the host and path but not the query', async () => {
    const entry = await entryOf(httpCheck({ url: new URL(`${targets.url}/ok?token=abc`) }))
    expect(entry).toEqual(
      expect.objectContaining({
        key: '127.0.0.1:responseTime',
        componentId: `${targets.url}/ok`,
        componentType: 'component',
        status: 'pass',
      }),
    )
    expect(JSON.stringify(entry)).not.toContain('token')
  })

  it('fails on 500 with the status only (the body is never read into the report)', async () => {
    const entry = await entryOf(httpCheck({ url: `${targets.url}/error` }))
    expect(entry).toEqual(expect.objectContaining({ status: 'fail', output: 'unexpected status 500' }))
  })

  it('accepts the statuses listed in expectStatus', async () => {
    expect((await entryOf(httpCheck({ url: `${targets.url}/error`, expectStatus: [200, 500] }))).status).toBe(
      'pass',
    )
    expect(
      (await entryOf(httpCheck({ url: `${targets.url}/ok`, expectStatus: 204, method: 'HEAD' }))).output,
    ).toBe('unexpected status 200')
  })

  it('fails with "timeout" when the server never answers, at the check’s deadline', async () => {
    const entry = await entryOf(httpCheck({ url: `${targets.url}/hang`, timeoutMs: 50 }))
    expect(entry).toEqual(expect.objectContaining({ status: 'fail', output: 'timeout' }))
  })

  it('fails naming the socket error when the server closes the connection', async () => {
    const entry = await entryOf(httpCheck({ url: `${targets.url}/close` }))
    expect(entry.status).toBe('fail')
    expect(entry.output).toMatch(/^request failed \((UND_ERR_SOCKET|ECONNRESET)\)$/)
  })

  it('fails with ECONNREFUSED when nothing listens', async () => {
    const closed = await startHttpTargets()
    const url = `${closed.url}/ok`
    await closed.close()
    expect((await entryOf(httpCheck({ url }))).output).toBe('request failed (ECONNREFUSED)')
  })

  it('sends the configured headers', async () => {
    const entry = await entryOf(
      httpCheck({ url: `${targets.url}/ok`, headers: { 'x-api-key': 'k' }, name: 'payments:responseTime' }),
    )
    expect(entry.key).toBe('payments:responseTime')
  })

  it('validates its options', () => {
    expect(() => httpCheck({ url: 'ftp://example.com' })).toThrow(/absolute http\(s\) URL/)
    expect(() => httpCheck({ url: 'not a url' })).toThrow(/absolute http\(s\) URL/)
    expect(() => httpCheck({ url: 'https://user:pw@example.com/' })).toThrow(/must not contain credentials/)
    expect(() => httpCheck({ url: targets.url, expectStatus: 99 })).toThrow(/expectStatus/)
    expect(() => httpCheck({ url: targets.url, expectStatus: [] })).toThrow(/expectStatus/)
    expect(() => httpCheck({ url: targets.url, method: 'POST' as never })).toThrow(/method/)
    expect(() => httpCheck({ url: targets.url, headers: 'x' as never })).toThrow(/headers/)
  })
})

describe('memoryCheck()', () => {
  it('reports the heap in use as a percentage of the V8 heap limit', async () => {
    const entry = await entryOf(memoryCheck({ maxHeapRatio: 1 }))
    expect(entry).toEqual(
      expect.objectContaining({
        key: 'memory:utilization',
        componentType: 'system',
        observedUnit: 'percent',
        status: 'pass',
      }),
    )
    expect(entry.observedValue).toBeGreaterThan(0)
    expect(entry.observedValue).toBeLessThan(100)
  })

  it('fails above maxHeapRatio and warns above warnHeapRatio', async () => {
    expect(await entryOf(memoryCheck({ maxHeapRatio: 0.000001 }))).toEqual(
      expect.objectContaining({ status: 'fail', output: 'heap above 0% of its limit' }),
    )
    expect(await entryOf(memoryCheck({ warnHeapRatio: 0.000001, maxHeapRatio: 1 }))).toEqual(
      expect.objectContaining({ status: 'warn' }),
    )
    expect((await entryOf(memoryCheck())).status).toBe('pass')
  })

  it('validates its options', () => {
    expect(() => memoryCheck({ maxHeapRatio: 0 })).toThrow(/maxHeapRatio/)
    expect(() => memoryCheck({ maxHeapRatio: 1.5 })).toThrow(/maxHeapRatio/)
    expect(() => memoryCheck({ maxHeapRatio: 0.5, warnHeapRatio: 0.8 })).toThrow(/warnHeapRatio/)
  })
})

describe('built-in checks carry the common settings', () => {
  it('critical, timeoutMs and warnAboveMs pass through to the definition', () => {
    expect(httpCheck({ url: targets.url, critical: false, timeoutMs: 200, warnAboveMs: 100 })).toEqual(
      expect.objectContaining({ critical: false, timeoutMs: 200, warnAboveMs: 100 }),
    )
  })
})
