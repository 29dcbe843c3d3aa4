// The tenant API against dynalite (a real DynamoDB API on 127.0.0.1) and real JWKS servers, one per tenant.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type SecurityEvent, subscribeSecurityEvents } from '@lift/security-core'
import {
  type AsymmetricTestIssuer,
  apiGatewayV2Event,
  createTestIssuer,
  type LocalDynamoDb,
  lambdaContext,
  startDynamoDb,
} from '@lift/testing'
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { PutItemCommand as PutItem } from 'dynamodb-toolbox'
import { createHandler, handler } from '../src/handler'
import { tenantIssuerEntity, tenantsTable } from '../src/tenants'

const TABLE = 'tenants'
let db: LocalDynamoDb
let acme: AsymmetricTestIssuer
let globex: AsymmetricTestIssuer
let initech: AsymmetricTestIssuer
let getItems = 0

beforeAll(async () => {
  db = await startDynamoDb()
  await db.createTable({ tableName: TABLE })
  // Counts every request the document client sends: the resolver's GetItems.
  db.documentClient.middlewareStack.add(
    (next) => async (args) => {
      getItems++
      return next(args)
    },
    { step: 'initialize' },
  )
  const issuers = ['acme', 'globex', 'initech'].map((name) =>
    createTestIssuer({ alg: 'ES256', audience: `${name}-api` }),
  )
  ;[acme, globex, initech] = (await Promise.all(issuers)) as [
    AsymmetricTestIssuer,
    AsymmetricTestIssuer,
    AsymmetricTestIssuer,
  ]
  const entity = tenantIssuerEntity(tenantsTable(TABLE, db.documentClient))
  const put = (
    issuer: AsymmetricTestIssuer,
    tenantId: string,
    status: 'active' | 'suspended',
    algorithms = ['ES256'],
  ) =>
    entity
      .build(PutItem)
      .item({
        issuer: issuer.issuer,
        tenantId,
        audience: `${tenantId}-api`,
        algorithms,
        jwksUri: issuer.jwksUri,
        status,
      })
      .send()
  await put(acme, 'acme', 'active')
  await put(globex, 'globex', 'active')
  await put(initech, 'initech', 'suspended')
})
afterAll(async () => {
  await Promise.all([acme, globex, initech].map((issuer) => issuer.close()))
  await db.stop()
})

const api = () => createHandler({ tableName: TABLE, documentClient: db.documentClient })
async function get(target: ReturnType<typeof api>, tenant: string, token: string) {
  const event = apiGatewayV2Event({
    path: `/tenants/${tenant}/me`,
    routeKey: 'GET /tenants/{tenantId}/me',
    pathParameters: { tenantId: tenant },
    headers: { authorization: `Bearer ${token}` },
  })
  return (await target(event, lambdaContext())) as APIGatewayProxyStructuredResultV2
}

describe('multi-tenant issuers from a DynamoDB tenant table', () => {
  it("accepts each tenant's own tokens, on its own tenant's routes", async () => {
    const handler = api()
    const acmeUser = await get(handler, 'acme', await acme.sign({ sub: 'alice', scope: 'read' }))
    expect(acmeUser.statusCode).toBe(200)
    expect(JSON.parse(acmeUser.body!)).toEqual({ id: 'alice', tenantId: 'acme', scopes: ['read'] })
    expect((await get(handler, 'globex', await globex.sign({ sub: 'bob' }))).statusCode).toBe(200)
  })

  it("attack: a tenant's token on another tenant's route is a 403", async () => {
    expect((await get(api(), 'globex', await acme.sign({ sub: 'alice' }))).statusCode).toBe(403)
  })

  it('attack: a token naming another tenant issuer but signed by this one is refused (401)', async () => {
    const forged = await acme.sign({ sub: 'alice', iss: globex.issuer, aud: 'globex-api' })
    expect((await get(api(), 'globex', forged)).statusCode).toBe(401)
  })

  it('a suspended tenant is refused (401)', async () => {
    expect((await get(api(), 'initech', await initech.sign({ sub: 'carol' }))).statusCode).toBe(401)
  })

  it('a spray of unknown issuers costs one GetItem each, and never a second one within negativeTtlSec', async () => {
    const handler = api()
    const tokens = await Promise.all(
      Array.from({ length: 50 }, () =>
        acme.sign({ sub: 'm', iss: `https://${randomBytes(5).toString('hex')}.example/` }),
      ),
    )
    const before = getItems
    for (const token of [...tokens, ...tokens])
      expect((await get(handler, 'acme', token)).statusCode).toBe(401)
    expect(getItems - before).toBe(50)
  })

  it('a broken tenant row is a 503 and one issuer-config-invalid event, never a crash', async () => {
    const broken = await createTestIssuer({ alg: 'ES256', audience: 'broken-api' })
    try {
      const entity = tenantIssuerEntity(tenantsTable(TABLE, db.documentClient))
      await entity
        .build(PutItem)
        .item({
          issuer: broken.issuer,
          tenantId: 'broken',
          audience: 'broken-api',
          algorithms: ['none'],
          jwksUri: broken.jwksUri,
          status: 'active',
        })
        .send()
      const events: SecurityEvent[] = []
      const stop = subscribeSecurityEvents((event) => events.push(event))
      try {
        const response = await get(api(), 'broken', await broken.sign({ sub: 'd' }))
        expect(response.statusCode).toBe(503)
        expect(response.body).not.toMatch(/none|algorithms/)
        expect(events.filter((event) => event.detail?.error !== undefined)).toHaveLength(1)
      } finally {
        stop()
      }
    } finally {
      await broken.close()
    }
  })

  it('answers 404 for any other route', async () => {
    const response = (await api()(
      apiGatewayV2Event({ path: '/x', routeKey: 'GET /x' }),
      lambdaContext(),
    )) as APIGatewayProxyStructuredResultV2
    expect(response.statusCode).toBe(404)
  })

  it('the deployed entry point needs TENANTS_TABLE, then reads the table it names', async () => {
    const saved = { ...process.env }
    try {
      delete process.env.TENANTS_TABLE
      await expect(handler(apiGatewayV2Event(), lambdaContext())).rejects.toThrow(/TENANTS_TABLE/)
      Object.assign(process.env, {
        TENANTS_TABLE: TABLE,
        AWS_REGION: db.region,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
      })
      expect((await get(handler, 'acme', await acme.sign({ sub: 'alice' }))).statusCode).toBe(200)
    } finally {
      process.env = saved
    }
  })
})
