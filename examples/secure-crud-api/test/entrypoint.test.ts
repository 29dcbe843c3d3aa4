// The deployed entry point (src/handler.ts) as Lambda runs it, configured only by the environment that
// template.yaml sets, against local stand-ins: dynalite behind a recording proxy, a Secrets Manager server and
// a JWKS server per tenant on 127.0.0.1. Every DynamoDB and Secrets Manager call it makes must be allowed by
// the template's policy, and every action the policy allows must be used: least privilege, checked.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { signRequest } from '@lift/request-signing'
import {
  type AsymmetricTestIssuer,
  createTestIssuer,
  type LocalDynamoDb,
  type LocalServer,
  type SecretsManagerServer,
  serveLocal,
  startDynamoDb,
  startSecretsManagerServer,
} from '@lift/testing'
import { ROUTES } from '../src/stack'
import { type RecordingProxy, startRecordingProxy } from './support/recording-proxy'
import { statements } from './support/template'

const DATA = 'data-table'
const GUARD = 'guard-table'
const SERVICE_SECRET = 'service-signing-secret'
const HEALTH_SECRET = 'health-token-secret'
const serviceKey = randomBytes(32).toString('base64url')
const healthToken = randomBytes(24).toString('base64url')

let db: LocalDynamoDb
let proxy: RecordingProxy
let secrets: SecretsManagerServer
let acme: AsymmetricTestIssuer
let api: LocalServer
const savedEnv = { ...process.env }

beforeAll(async () => {
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true) // Powertools' log and EMF lines
  db = await startDynamoDb()
  await db.createTable({ tableName: DATA, sortKey: 'sk', ttlAttribute: 'expiresAt' })
  await db.createTable({ tableName: GUARD, ttlAttribute: 'expiresAt' })
  proxy = await startRecordingProxy(db.endpoint)
  secrets = await startSecretsManagerServer()
  secrets.putSecret(SERVICE_SECRET, serviceKey)
  secrets.putSecret(HEALTH_SECRET, healthToken)
  acme = (await createTestIssuer({ alg: 'RS256', audience: 'projects-api' })) as AsymmetricTestIssuer
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
    AWS_MAX_ATTEMPTS: '1',
    POWERTOOLS_METRICS_NAMESPACE: 'LiftTest',
    DATA_TABLE_NAME: DATA,
    GUARD_TABLE_NAME: GUARD,
    TENANT_ISSUERS: JSON.stringify([
      { tenantId: 'acme', issuer: acme.issuer, audience: 'projects-api', jwksUri: acme.jwksUri },
    ]),
    SERVICE_CALLERS: JSON.stringify([{ keyId: 'acme-backend', tenantId: 'acme', secretId: SERVICE_SECRET }]),
    HEALTH_TOKEN_SECRET_ID: HEALTH_SECRET,
    CORS_ORIGINS: '',
    // dynalite on a busy CI machine: wait for it rather than fail open (production: 1000, template.yaml)
    RATE_LIMIT_STORE_TIMEOUT_MS: '10000',
  })
  const { handler } = await import('../src/handler')
  api = await serveLocal(handler, { routes: ROUTES })
})

afterAll(async () => {
  process.env = savedEnv
  jest.restoreAllMocks()
  await api?.close()
  await acme?.close()
  await secrets?.close()
  await proxy?.close()
  await db?.stop()
})

async function call(
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  if (options.body !== undefined) headers['content-type'] = 'application/json'
  const response = await fetch(`${api.url}${path}`, {
    method,
    headers,
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  })
  return { status: response.status, json: async () => (await response.json()) as Record<string, unknown> }
}

describe('the deployed entry point', () => {
  it('serves every kind of route with the environment template.yaml sets', async () => {
    const admin = await acme.sign({ sub: 'ada', roles: ['admin'] })
    const reader = await acme.sign({ sub: 'fred', roles: ['reader'] })
    const health = await call('GET', '/health', { headers: { 'x-health-token': healthToken } })
    expect(health.status).toBe(200)
    expect(Object.keys((await health.json()).checks as object).length).toBeGreaterThanOrEqual(3)

    const created = await call('POST', '/tenants/acme/projects', {
      token: admin,
      body: { name: 'Apollo' },
      headers: { 'idempotency-key': 'k-1' },
    })
    expect(created.status).toBe(201)
    const { projectId } = await created.json()
    const path = `/tenants/acme/projects/${projectId}`
    expect((await call('GET', '/tenants/acme/projects', { token: admin })).status).toBe(200)
    expect((await call('GET', path, { token: admin })).status).toBe(200)
    expect((await call('PATCH', path, { token: admin, body: { version: 1, name: 'Apollo 2' } })).status).toBe(
      200,
    )
    expect((await call('PATCH', path, { token: admin, body: { version: 1, name: 'stale' } })).status).toBe(
      409,
    )
    expect((await call('DELETE', path, { token: admin })).status).toBe(204)

    // The free plan's burst bucket (10, refilled at 10/s on the real clock) is drained by concurrent rounds
    // of 20; on a loaded machine one round can take long enough to refill, so up to 3 rounds (under 120/min).
    const statuses: number[] = []
    for (let round = 0; round < 3 && !statuses.includes(429); round++) {
      const burst = await Promise.all(
        Array.from({ length: 20 }, () => call('GET', '/tenants/acme/projects', { token: reader })),
      )
      statuses.push(...burst.map((r) => r.status))
    }
    expect(statuses).toContain(429)

    const url = `${api.url}/service/tenants/acme/projects`
    const signature = signRequest(
      { method: 'GET', url, headers: {} },
      { keyId: 'acme-backend', key: serviceKey, alg: 'hmac-sha256', nonce: true },
    )
    expect((await fetch(url, { headers: { ...signature } })).status).toBe(200)
    expect((await call('GET', '/status')).status).toBe(200)
  })

  it('makes exactly the DynamoDB and Secrets Manager calls the IAM policy allows, and uses every one', () => {
    const resources: Record<string, string> = {
      'DataTable.Arn': DATA,
      'GuardTable.Arn': GUARD,
      ServiceSigningSecret: SERVICE_SECRET,
      HealthTokenSecret: HEALTH_SECRET,
    }
    const allowed = new Set<string>()
    for (const statement of statements()) {
      for (const resource of [statement.Resource].flat() as Record<string, string>[]) {
        const name = resources[resource['Fn::GetAtt'] ?? resource.Ref!]!
        for (const action of [statement.Action].flat()) allowed.add(`${action} ${name}`)
      }
    }
    const used = new Set([
      ...[...proxy.calls].map((call) => `dynamodb:${call}`),
      ...secrets.requests.map((request) => `secretsmanager:GetSecretValue ${request.secretId}`),
    ])
    // dynamoStore's GetItem on GuardTable is its fallback read (a failed write that came back without the item):
    // allowed, but a run whose concurrent requests share one write (one container) need not use it.
    const fallback = `dynamodb:GetItem ${GUARD}`
    expect([...used].sort()).toEqual([...allowed].filter((a) => a !== fallback || used.has(a)).sort())
  })
})
