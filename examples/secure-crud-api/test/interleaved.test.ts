// Concurrent invocations in one process (Lambda Managed Instances, serveLocal, `pnpm demo`): 30 interleaved
// invocations over 3 tenants through the stack the example deploys (createApi + observability({ audit: true }),
// as src/handler.ts builds it), with dynalite and real signed tokens. Every log line and every audit record must
// carry its own invocation's correlation id, request ids and tenant, never another's, failures included.
import { randomUUID } from 'node:crypto'
import { Logger } from '@aws-lambda-powertools/logger'
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { observability } from '@lift/observability'
import { createSecretsProvider } from '@lift/security-core'
import {
  apiGatewayV2Event,
  createTestIssuer,
  type LocalDynamoDb,
  lambdaContext,
  type SymmetricTestIssuer,
  startDynamoDb,
} from '@lift/testing'
import type { StackConfig } from '../src/config'
import { type ApiHandler, createApi } from '../src/stack'

const TENANTS = ['acme', 'globex', 'initech'] as const
type Tenant = (typeof TENANTS)[number]
const AUDIENCE = 'projects-api'
const HEALTH_TOKEN = 'health-token-0123456789abcdef'
/** A project id whose read fails inside DynamoDB (a 500 with an ERROR line). */
const POISON = '00000000-0000-4000-8000-00000000dead'
const MISSING = '00000000-0000-4000-8000-000000000404'

let db: LocalDynamoDb
let api: ApiHandler
let logger: Logger
const issuers = {} as Record<Tenant, SymmetricTestIssuer>
const tokens: string[] = []
const savedEnv = { ...process.env }

beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'LiftTest'
  process.env.POWERTOOLS_SERVICE_NAME = 'projects-api'
  db = await startDynamoDb()
  await db.createTable({ tableName: 'projects', sortKey: 'sk', ttlAttribute: 'expiresAt' })
  await db.createTable({ tableName: 'guard', ttlAttribute: 'expiresAt' })
  for (const tenant of TENANTS)
    issuers[tenant] = await createTestIssuer({
      alg: 'HS256',
      issuer: `https://idp.${tenant}.example`,
      audience: AUDIENCE,
      expiresInSec: 3600,
    })
  logger = new Logger({ serviceName: 'projects-api' })
  slowAndLoggedDynamoDb(db, logger)
  const config: StackConfig = {
    service: 'projects-api',
    version: '1.0.0-test',
    dataTableName: 'projects',
    guardTableName: 'guard',
    tenants: TENANTS.map((tenant) => ({
      tenantId: tenant,
      issuer: issuers[tenant].issuer,
      audience: AUDIENCE,
      secret: issuers[tenant].secret,
    })),
    serviceCallers: [],
    corsOrigins: [],
    healthToken: HEALTH_TOKEN,
    rateLimitStoreTimeoutMs: 10_000,
  }
  // What src/handler.ts deploys, with the logger handed in so the DynamoDB hook below can write to it too.
  api = createApi(config, {
    dynamoDb: db.client,
    secrets: createSecretsProvider(),
    outer: [observability({ logger, audit: true })],
  })
})

afterEach(() => {
  jest.restoreAllMocks()
})

afterAll(async () => {
  process.env = savedEnv
  await db?.stop()
})

/**
 * Every DynamoDB call of the stack (rate limits, projects, idempotency, health checks) waits 0-15 ms first, so
 * that invocations overtake one another, and logs a WARN line from inside the invocation, as library code
 * does. A read of the POISON project fails, as a throttled or broken table would.
 */
function slowAndLoggedDynamoDb(local: LocalDynamoDb, log: Logger): void {
  local.client.middlewareStack.add(
    (next, context) => async (args) => {
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 15))
      log.warn('slow dynamodb call', { command: context.commandName })
      if (JSON.stringify(args.input).includes(POISON))
        throw new Error('simulated DynamoDB failure', { cause: new Error('socket hang up') })
      return next(args)
    },
    { step: 'initialize', name: 'interleavingDelay' },
  )
}

interface Invocation {
  readonly index: number
  /** The tenant whose issuer signed the caller's token: the only tenant its lines and records may name. */
  readonly tenant: Tenant
  /** Whether authentication allows the caller (its later lines then carry its principal and tenant). */
  readonly authenticated: boolean
  readonly status: number
  readonly run: () => Promise<{ statusCode: number }>
}

function ids(index: number) {
  return { correlationId: `corr-${index}`, awsRequestId: `lambda-${index}`, requestId: `apigw-${index}` }
}

const projectsRoute = 'GET /tenants/{tenantId}/projects'
const projectRoute = 'GET /tenants/{tenantId}/projects/{projectId}'

/** Ten invocations per tenant: successes, 400, 401, 403 (cross-tenant and role), 404, 422, 500, a health denial. */
async function invocations(): Promise<Invocation[]> {
  const plan: Omit<Invocation, 'index' | 'run'>[] = []
  const requests: {
    method: string
    routeKey: string
    params: Record<string, string>
    token?: string
    headers?: Record<string, string>
    body?: object
    query?: Record<string, string>
  }[] = []
  for (const [position, tenant] of TENANTS.entries()) {
    const other = TENANTS[(position + 1) % TENANTS.length]!
    const sign = (sub: string, roles: string[]) =>
      issuers[tenant].sign({ sub: `${sub}-${tenant}`, roles, plan: 'pro' })
    const admin = await sign('admin', ['admin'])
    const reader = await sign('reader', ['reader'])
    const nobody = await sign('nobody', [])
    tokens.push(admin, reader, nobody)
    const add = (status: number, authenticated: boolean, request: (typeof requests)[number]) => {
      plan.push({ tenant, authenticated, status })
      requests.push(request)
    }
    const at = (t: Tenant, projectId?: string): Record<string, string> =>
      projectId === undefined ? { tenantId: t } : { tenantId: t, projectId }
    add(201, true, {
      method: 'POST',
      routeKey: 'POST /tenants/{tenantId}/projects',
      params: at(tenant),
      token: admin,
      headers: { 'idempotency-key': randomUUID() },
      body: { name: `Apollo ${tenant}` },
    })
    add(200, true, { method: 'GET', routeKey: projectsRoute, params: at(tenant), token: reader })
    add(404, true, { method: 'GET', routeKey: projectRoute, params: at(tenant, MISSING), token: reader })
    // Another tenant's path: authentication refuses the token (tenant-mismatch); its record names the caller's tenant.
    add(403, false, { method: 'GET', routeKey: projectsRoute, params: at(other), token: reader })
    add(400, true, {
      method: 'GET',
      routeKey: projectsRoute,
      params: at(tenant),
      token: reader,
      query: { limit: '0' },
    })
    add(422, true, {
      method: 'POST',
      routeKey: 'POST /tenants/{tenantId}/projects',
      params: at(tenant),
      token: admin,
      headers: { 'idempotency-key': randomUUID() },
      body: { name: 42 },
    })
    add(401, false, { method: 'GET', routeKey: projectsRoute, params: at(tenant), token: `${admin}x` })
    add(403, true, {
      method: 'DELETE',
      routeKey: 'DELETE /tenants/{tenantId}/projects/{projectId}',
      params: at(tenant, MISSING),
      token: nobody,
    })
    add(500, true, { method: 'GET', routeKey: projectRoute, params: at(tenant, POISON), token: admin })
    add(200, false, {
      method: 'GET',
      routeKey: 'GET /health',
      params: {},
      headers: { 'x-health-token': `wrong-${tenant}-token-guess` },
    })
  }
  return requests.map((request, index) => {
    const { correlationId, awsRequestId, requestId } = ids(index)
    const path = request.routeKey
      .split(' ')[1]!
      .replace(/\{(\w+)\}/g, (_, name: string) => request.params[name]!)
    const event = apiGatewayV2Event({
      method: request.method,
      path,
      routeKey: request.routeKey,
      pathParameters: request.params,
      requestId,
      headers: {
        'x-correlation-id': correlationId,
        ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
        ...request.headers,
      },
      ...(request.query ? { query: request.query } : {}),
      ...(request.body === undefined ? {} : { body: request.body }),
    })
    return {
      ...plan[index]!,
      index,
      run: () => api(event as never, lambdaContext({ awsRequestId })) as Promise<{ statusCode: number }>,
    }
  })
}

/** Collects what Powertools writes (log lines and EMF blobs) while the invocations run. */
function captureStdout(): { lines: () => Record<string, unknown>[] } {
  const chunks: string[] = []
  const collect = (chunk: unknown) => {
    chunks.push(String(chunk))
    return true
  }
  jest.spyOn(process.stdout, 'write').mockImplementation(collect as never)
  jest.spyOn(process.stderr, 'write').mockImplementation(collect as never)
  return {
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  }
}

describe('interleaved invocations over three tenants (one process, the deployed stack)', () => {
  it('every log line and every audit record carries its own correlation id, request ids and tenant, never another invocation’s', async () => {
    const planned = await invocations()
    expect(planned.length).toBeGreaterThanOrEqual(20)
    const out = captureStdout()
    const results = await Promise.all(planned.map((invocation) => invocation.run()))
    const lines = out.lines()
    jest.restoreAllMocks()

    expect(results.map((result) => result.statusCode)).toEqual(planned.map((invocation) => invocation.status))
    // Jest may have run other test files in this worker first: their copies of @lift/observability share the
    // one `lift:security` subscription with this one and write nothing here (a stray record fails below).
    const logs = lines.filter((line) => !('_aws' in line))
    const byIndex = new Map<number, Record<string, unknown>[]>()
    for (const line of logs) {
      // No line outside an invocation, none without its correlation id.
      const match = /^corr-(\d+)$/.exec(String(line.correlation_id))
      expect(match).not.toBeNull()
      const index = Number(match![1])
      byIndex.set(index, [...(byIndex.get(index) ?? []), line])
    }

    for (const invocation of planned) {
      const { correlationId, awsRequestId, requestId } = ids(invocation.index)
      const own = byIndex.get(invocation.index) ?? []
      expect(own.length).toBeGreaterThan(0)
      for (const line of own) {
        const context = `${line.level} "${line.message}" of invocation ${invocation.index}`
        expect([context, line.function_request_id]).toEqual([context, awsRequestId])
        // The caller's tenant on every line logged after authentication, none on an unauthenticated one.
        if (line.tenant !== undefined || line.principal_id !== undefined)
          expect([context, invocation.authenticated, line.tenant]).toEqual([context, true, invocation.tenant])
        if (line.audit === true) {
          expect([context, line.correlationId, line.awsRequestId, line.requestId]).toEqual([
            context,
            correlationId,
            awsRequestId,
            requestId,
          ])
          if (line.tenantId !== undefined)
            expect([context, line.tenantId]).toEqual([context, invocation.tenant])
        }
      }
      const audits = own.filter((line) => line.audit === true)
      expect(audits.length).toBeGreaterThan(0)
      if (invocation.authenticated) {
        // The lines after the authentication allow (DynamoDB calls, the failure) name the caller.
        const named = own.filter((line) => line.tenant === invocation.tenant)
        expect([invocation.index, named.length > 0]).toEqual([invocation.index, true])
        expect(String(named[0]!.principal_id)).toMatch(new RegExp(`-${invocation.tenant}$`))
      }
      if (invocation.status === 500) {
        const errors = own.filter((line) => line.level === 'ERROR')
        expect(errors).toHaveLength(1)
        expect(errors[0]).toMatchObject({ tenant: invocation.tenant, statusCode: 500 })
      }
    }

    // The failures are in the capture: ERROR lines (500s), WARN lines, and one denial record each.
    expect(logs.filter((line) => line.level === 'ERROR')).toHaveLength(TENANTS.length)
    expect(logs.filter((line) => line.level === 'WARN').length).toBeGreaterThanOrEqual(planned.length)
    const decisions = (type: string, decision: string) =>
      logs.filter((line) => line.audit === true && line.type === type && line.decision === decision).length
    // A cross-tenant token is refused by authentication (tenant-mismatch), a missing role by authorization.
    expect(decisions('authn.jwt', 'deny')).toBe(2 * TENANTS.length)
    expect(decisions('authz', 'deny')).toBe(TENANTS.length)
    expect(decisions('health', 'deny')).toBe(TENANTS.length)

    // The invocations did interleave: consecutive lines switch invocation far more often than one per invocation.
    let switches = 0
    for (let i = 1; i < logs.length; i++)
      if (logs[i]!.correlation_id !== logs[i - 1]!.correlation_id) switches++
    // (run one after another they would switch exactly planned.length - 1 times).
    expect(switches).toBeGreaterThan(planned.length)
    // And nothing secret reached the output: no token, no health token guess.
    const output = JSON.stringify(lines)
    for (const secret of [...tokens, HEALTH_TOKEN, 'token-guess']) expect(output).not.toContain(secret)
  })
})
