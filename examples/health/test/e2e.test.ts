import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { createSecretsProvider } from '@lift/security-core'
import {
  eventBridgeEvent,
  type LocalDynamoDb,
  type LocalServer,
  lambdaContext,
  type SecretsManagerServer,
  serveLocal,
  startDynamoDb,
  startSecretsManagerServer,
} from '@lift/testing'
import { expectHealthJson } from '../../../packages/health/test/support/health-schema'
import { readEnvironment } from '../src/config'
import { API_ROUTES, apiFromEnv, handler as apiHandler, createApi, DETAILS_HEADER } from '../src/handler'
import { createScheduled, handler as scheduledHandler } from '../src/scheduled'

const TABLE = 'health-example-data'
const SECRET_ID = 'health-example/details'
const SECRET_VALUE = 'details-key-0123456789abcdefghij'

let secretsManager: SecretsManagerServer
let db: LocalDynamoDb
let upstream: Server
let upstreamUrl: string
let upstreamStatus = 200
let api: LocalServer
let secretsClient: SecretsManagerClient
const savedEnv = { ...process.env }

// The deployed entry points run unchanged: the AWS SDK reads endpoints, region and credentials from the
// environment, so its clients talk to dynalite and the Secrets Manager stand-in on 127.0.0.1.
beforeAll(async () => {
  secretsManager = await startSecretsManagerServer()
  secretsManager.putSecret(SECRET_ID, SECRET_VALUE)
  db = await startDynamoDb()
  await db.createTable({ tableName: TABLE })
  upstream = createServer((_request, response) => {
    response.writeHead(upstreamStatus).end()
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/health`
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_MAX_ATTEMPTS: '1',
    TABLE_NAME: TABLE,
    HEALTH_SECRET_ID: SECRET_ID,
    UPSTREAM_URL: upstreamUrl,
    SERVICE_VERSION: '2.3.4',
  })
  api = await serveLocal(apiHandler, { port: 0, routes: API_ROUTES })
  secretsClient = new SecretsManagerClient({
    endpoint: secretsManager.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
})

afterAll(async () => {
  process.env = savedEnv
  secretsClient?.destroy()
  await api?.close()
  upstream?.closeAllConnections()
  await new Promise((resolve) => upstream?.close(resolve))
  await db?.stop()
  await secretsManager?.close()
})

async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { headers })
  return { status: response.status, headers: response.headers, text: await response.text() }
}

/** An API on createApi with its own provider and no cache, for scenarios that change a dependency. */
async function serveApi(overrides: { tableName?: string } = {}) {
  const handler = createApi({
    dynamoDb: db.client,
    tableName: overrides.tableName ?? TABLE,
    secrets: createSecretsProvider({ client: secretsClient }),
    secretId: SECRET_ID,
    upstreamUrl,
    version: '2.3.4',
    cacheTtlMs: 0,
  })
  return serveLocal(handler, { port: 0, routes: API_ROUTES })
}

describe('the deployed API over HTTP, with dynalite, Secrets Manager and an upstream on 127.0.0.1', () => {
  it('serves its own route, and 404 problem+json for others', async () => {
    expect(await get(api.url, '/hello')).toEqual(
      expect.objectContaining({ status: 200, text: '{"message":"hello"}' }),
    )
    const missing = await get(api.url, '/nope')
    expect(missing.status).toBe(404)
    const routed = await fetch(`${api.url}/hello`, { method: 'POST' })
    expect(routed.status).toBe(404)
  })

  it('answers /health/live with pass, as application/health+json, not cacheable', async () => {
    const live = await get(api.url, '/health/live')
    expect(live.status).toBe(200)
    expect(live.headers.get('content-type')).toBe('application/health+json')
    expect(live.headers.get('cache-control')).toBe('no-store')
    expect(expectHealthJson(live.text)).toEqual({ status: 'pass' })
  })

  it('answers /health with the status only to an anonymous caller, and in full with the secret header', async () => {
    expect(expectHealthJson((await get(api.url, '/health')).text)).toEqual({ status: 'pass' })
    expect(expectHealthJson((await get(api.url, '/health/ready')).text)).toEqual({ status: 'pass' })
    const wrong = await get(api.url, '/health', { [DETAILS_HEADER]: 'details-key-0123456789abcdefghiX' })
    expect(expectHealthJson(wrong.text)).toEqual({ status: 'pass' })
    const full = expectHealthJson((await get(api.url, '/health', { [DETAILS_HEADER]: SECRET_VALUE })).text)
    expect(full).toEqual(
      expect.objectContaining({ status: 'pass', version: '2.3.4', serviceId: 'lift-health-example' }),
    )
    expect(Object.keys(full.checks as object)).toEqual([
      'dynamodb:responseTime',
      'secretsmanager:responseTime',
      'upstream:responseTime',
      'memory:utilization',
    ])
    expect(JSON.stringify(full)).not.toContain(SECRET_VALUE)
  })

  it('reads the secret once for the details policy and the secret check together (one provider, cached)', async () => {
    const before = secretsManager.requestCount
    const server = await serveApi()
    try {
      for (let i = 0; i < 3; i += 1) await get(server.url, '/health', { [DETAILS_HEADER]: SECRET_VALUE })
      expect(secretsManager.requestCount - before).toBe(1)
    } finally {
      await server.close()
    }
  })

  it('fails (503) when the table is missing, naming the cause only to a caller with details', async () => {
    const server = await serveApi({ tableName: 'no-such-table' })
    try {
      const anonymous = await get(server.url, '/health')
      expect(anonymous.status).toBe(503)
      expect(expectHealthJson(anonymous.text)).toEqual({ status: 'fail' })
      const full = expectHealthJson(
        (await get(server.url, '/health', { [DETAILS_HEADER]: SECRET_VALUE })).text,
      )
      expect(
        (full.checks as Record<string, { output?: string }[]>)['dynamodb:responseTime']![0]!.output,
      ).toBe('table not found')
    } finally {
      await server.close()
    }
  })

  it('degrades to warn (still 200) when the non-critical upstream answers 500', async () => {
    const server = await serveApi()
    upstreamStatus = 500
    try {
      const answer = await get(server.url, '/health', { [DETAILS_HEADER]: SECRET_VALUE })
      expect(answer.status).toBe(200)
      const report = expectHealthJson(answer.text)
      expect(report.status).toBe('warn')
      expect(
        (report.checks as Record<string, { output?: string }[]>)['upstream:responseTime']![0]!.output,
      ).toBe('unexpected status 500')
    } finally {
      upstreamStatus = 200
      await server.close()
    }
  })

  it('fails when Secrets Manager does not have the secret', async () => {
    secretsManager.deleteSecret(SECRET_ID)
    const server = await serveApi()
    try {
      const answer = await get(server.url, '/health')
      expect(answer.status).toBe(503)
    } finally {
      secretsManager.putSecret(SECRET_ID, SECRET_VALUE)
      await server.close()
    }
  })
})

describe('the scheduled health run', () => {
  it('the deployed entry point returns the full report and logs its summary line to CloudWatch (stdout)', async () => {
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined)
    try {
      const report = await scheduledHandler(eventBridgeEvent() as never, lambdaContext())
      expect(expectHealthJson(JSON.stringify(report))).toEqual(
        expect.objectContaining({ status: 'pass', version: '2.3.4' }),
      )
      expect(log.mock.calls).toEqual([['{"message":"health","status":"pass","failing":[]}']])
    } finally {
      log.mockRestore()
    }
  })

  it('logs one JSON line with the status and the failing checks', async () => {
    const lines: string[] = []
    const run = createScheduled({
      dynamoDb: db.client,
      tableName: 'no-such-table',
      secrets: createSecretsProvider({ client: secretsClient }),
      secretId: SECRET_ID,
      upstreamUrl,
      version: '2.3.4',
      log: (line) => lines.push(line),
    })
    const report = await run(eventBridgeEvent() as never, lambdaContext())
    expect(report.status).toBe('fail')
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { message: 'health', status: 'fail', failing: ['dynamodb:responseTime'] },
    ])
  })
})

describe('configuration', () => {
  it('a missing environment variable fails the cold start naming it', () => {
    expect(() => readEnvironment({ TABLE_NAME: 't' })).toThrow(
      'Missing environment variables: HEALTH_SECRET_ID, UPSTREAM_URL, SERVICE_VERSION',
    )
    expect(() => apiFromEnv({})).toThrow(/Missing environment variables/)
  })
})
