import { randomBytes } from 'node:crypto'
import { createSecretsProvider } from '@lift/security-core'
import {
  createTestIssuer,
  type LocalDynamoDb,
  type LocalServer,
  type SymmetricTestIssuer,
  serveLocal,
  startDynamoDb,
} from '@lift/testing'
import type { MiddlewareObj } from '@middy/core'
import type { StackConfig } from './config'
import { type ApiHandler, createApi, ROUTES } from './stack'

export const TENANTS = Object.freeze(['acme', 'globex'] as const)
export type TenantId = (typeof TENANTS)[number]
export const AUDIENCE = 'projects-api'
export const SERVICE_KEY_ID = 'acme-backend'

export interface LocalStackOptions {
  /** Port for serveLocal; 0 (default) picks a free one. */
  port?: number
  /** Clock (epoch ms) for token checks, rate limits and signatures; default Date.now. */
  now?: () => number
  /** Outermost middlewares (observability). */
  outer?: readonly MiddlewareObj[]
  /** Oldest accepted signature on the service route, in seconds (verifySignature's default: 300). */
  serviceMaxAgeSec?: number
}

export interface LocalStack {
  readonly url: string
  readonly config: StackConfig
  readonly api: ApiHandler
  readonly db: LocalDynamoDb
  readonly issuers: Readonly<Record<TenantId, SymmetricTestIssuer>>
  /** The HMAC key of acme's backend (key id SERVICE_KEY_ID) for the signed service route. */
  readonly serviceKey: Buffer
  /** Unlocks the detailed /health report (x-health-token). */
  readonly healthToken: string
  /** A token for `sub` in `tenant` with `roles` (and `plan`), signed by that tenant's issuer. */
  token(
    tenant: TenantId,
    sub: string,
    roles: readonly string[],
    extra?: Record<string, unknown>,
  ): Promise<string>
  close(): Promise<void>
}

/**
 * The whole stack on 127.0.0.1 without AWS: dynalite with both tables, one HS256 issuer per tenant, a
 * service key for acme's backend, served by serveLocal with the API's route keys. The demo, the end-to-end
 * tests and the load test all run on it.
 */
export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const db = await startDynamoDb()
  try {
    const config = await localConfig(options)
    await db.createTable({ tableName: config.stack.dataTableName, sortKey: 'sk', ttlAttribute: 'expiresAt' })
    await db.createTable({ tableName: config.stack.guardTableName, ttlAttribute: 'expiresAt' })
    const api = createApi(config.stack, {
      dynamoDb: db.client,
      secrets: createSecretsProvider(),
      ...(options.outer ? { outer: options.outer } : {}),
    })
    const server: LocalServer = await serveLocal(api, { port: options.port ?? 0, routes: ROUTES })
    return {
      url: server.url,
      config: config.stack,
      api,
      db,
      issuers: config.issuers,
      serviceKey: config.serviceKey,
      healthToken: config.healthToken,
      token: (tenant, sub, roles, extra = {}) => config.issuers[tenant].sign({ sub, roles, ...extra }),
      async close() {
        await server.close()
        await db.stop()
      },
    }
  } catch (error) {
    await db.stop()
    throw error
  }
}

async function localConfig(options: LocalStackOptions) {
  const issuers = Object.fromEntries(
    await Promise.all(
      TENANTS.map(async (tenant) => [
        tenant,
        await createTestIssuer({
          alg: 'HS256',
          issuer: `https://idp.${tenant}.example`,
          audience: AUDIENCE,
          expiresInSec: 3600,
        }),
      ]),
    ),
  ) as Record<TenantId, SymmetricTestIssuer>
  const serviceKey = randomBytes(32)
  const healthToken = randomBytes(24).toString('base64url')
  const stack: StackConfig = {
    service: 'projects-api',
    version: '1.0.0-local',
    dataTableName: 'projects',
    guardTableName: 'guard',
    tenants: TENANTS.map((tenant) => ({
      tenantId: tenant,
      issuer: issuers[tenant].issuer,
      audience: AUDIENCE,
      secret: issuers[tenant].secret,
    })),
    serviceCallers: [{ keyId: SERVICE_KEY_ID, tenantId: 'acme', secret: serviceKey }],
    corsOrigins: ['http://localhost:5173'],
    healthToken,
    // dynalite shares the machine with the load generator and the tests: give it time rather than fail open.
    rateLimitStoreTimeoutMs: 10_000,
    ...(options.serviceMaxAgeSec === undefined ? {} : { serviceMaxAgeSec: options.serviceMaxAgeSec }),
    ...(options.now ? { now: options.now } : {}),
  }
  return { stack, issuers, serviceKey, healthToken }
}
