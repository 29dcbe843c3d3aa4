import { ScanCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { dynamoStore } from '@lift/rate-limit'
import {
  type AsymmetricTestIssuer,
  createTestIssuer,
  type LocalDynamoDb,
  type LocalServer,
  serveLocal,
  startDynamoDb,
} from '@lift/testing'
import { createHandler, handler, handlerFromEnv, ROUTES } from '../src/handler'
import { planOf } from '../src/limits'

const TABLE = 'rate-limited-api'
// The API with an injected clock keeps its counts apart from the deployed handler's (real clock).
const CLOCKED_TABLE = 'rate-limited-api-clocked'
const AUDIENCE = 'rate-limited-api'
let db: LocalDynamoDb
let issuer: AsymmetricTestIssuer
let api: LocalServer
let deployed: LocalServer
let clock = Date.UTC(2026, 0, 1, 12)
const savedEnv = { ...process.env }

beforeAll(async () => {
  db = await startDynamoDb()
  await db.createTable({ tableName: TABLE, ttlAttribute: 'expiresAt' })
  await db.createTable({ tableName: CLOCKED_TABLE, ttlAttribute: 'expiresAt' })
  issuer = (await createTestIssuer({
    alg: 'RS256',
    audience: AUDIENCE,
    now: () => clock,
  })) as AsymmetricTestIssuer
  const configured = createHandler({
    issuer: issuer.issuer,
    audience: AUDIENCE,
    jwksUri: issuer.jwksUri,
    store: dynamoStore({ tableName: CLOCKED_TABLE, documentClient: db.documentClient }),
    now: () => clock,
  })
  api = await serveLocal(configured, { port: 0, routes: ROUTES })
  // The deployed entry point, unchanged: the AWS SDK finds dynalite through the environment.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    JWT_ISSUER: issuer.issuer,
    JWT_AUDIENCE: AUDIENCE,
    JWKS_URI: issuer.jwksUri,
    RATE_LIMIT_TABLE_NAME: TABLE,
  })
  deployed = await serveLocal(handler, { port: 0, routes: ROUTES })
})

afterAll(async () => {
  process.env = savedEnv
  await deployed?.close()
  await api?.close()
  await issuer?.close()
  await db?.stop()
})

async function burst(count: number, path: string, init: RequestInit = {}): Promise<Response[]> {
  const responses: Response[] = []
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${api.url}${path}`, init)
    await response.arrayBuffer()
    responses.push(response)
  }
  return responses
}

const bearer = (token: string, method = 'GET'): RequestInit => ({
  method,
  headers: { authorization: `Bearer ${token}` },
})

describe('rate-limited API over HTTP, counts in DynamoDB (dynalite)', () => {
  it('the deployed handler limits the anonymous route per IP and stores the count in the table', async () => {
    const response = await fetch(`${deployed.url}/public`)
    expect(response.status).toBe(200)
    expect(response.headers.get('ratelimit-policy')).toBe('"minute";q=10;w=60')
    expect(response.headers.get('ratelimit')).toMatch(/^"minute";r=9;t=\d+$/)
    const { Items } = await db.documentClient.send(new ScanCommand({ TableName: TABLE }))
    expect(Items?.map((item) => item.pk)).toEqual(['rl#k:ip:127.0.0.1'])
    expect(typeof Items?.[0]?.expiresAt).toBe('number')
    const unauthenticated = await fetch(`${deployed.url}/me`)
    expect(unauthenticated.status).toBe(401)
  })

  it('anonymous route: 10 per minute per IP, then 429 problem+json with Retry-After; X-Forwarded-For does not help', async () => {
    const spoof = (i: number): RequestInit => ({ headers: { 'x-forwarded-for': `10.0.0.${i}` } })
    const responses = []
    for (let i = 0; i < 11; i++) responses.push((await burst(1, '/public', spoof(i)))[0]!)
    expect(responses.map((r) => r.status)).toEqual([...Array(10).fill(200), 429])
    const refused = responses[10]!
    expect(refused.headers.get('content-type')).toBe('application/problem+json')
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(refused.headers.get('ratelimit')).toBe(`"minute";r=0;t=${refused.headers.get('retry-after')}`)
    // A blocked key stays blocked up to 1 s past the reset (jitter, so containers do not return all at once).
    clock += 61_000
    expect((await burst(1, '/public'))[0]!.status).toBe(200)
  })

  it('free plan: a burst of 5 per second per principal; another free user has its own count; refill after a second', async () => {
    const alice = await issuer.sign({ sub: 'alice', plan: 'free' })
    const bob = await issuer.sign({ sub: 'bob' })
    expect((await burst(6, '/me', bearer(alice))).map((r) => r.status)).toEqual([
      200, 200, 200, 200, 200, 429,
    ])
    const [bobFirst] = await burst(1, '/me', bearer(bob))
    expect(bobFirst!.status).toBe(200)
    expect(bobFirst!.headers.get('ratelimit')).toBe('"burst";r=4;t=1')
    expect(bobFirst!.headers.get('ratelimit-policy')).toBe('"burst";q=5;w=1, "minute";q=20;w=60')
    clock += 1_000
    expect((await burst(6, '/me', bearer(alice))).map((r) => r.status)).toEqual([
      200, 200, 200, 200, 200, 429,
    ])
    // 10 used in the minute now: the sliding minute (20) is not the limit closest to exhaustion yet.
  })

  it('paid plan: larger limits from the same middleware, chosen by the plan claim', async () => {
    const carol = await issuer.sign({ sub: 'carol', plan: 'paid' })
    const responses = await burst(21, '/me', bearer(carol))
    expect(responses.slice(0, 20).every((r) => r.status === 200)).toBe(true)
    expect(responses[20]!.status).toBe(429)
    expect(responses[0]!.headers.get('ratelimit-policy')).toBe('"burst";q=20;w=1, "minute";q=300;w=60')
    expect(planOf(undefined)).toBe('free')
  })

  it('POST /reports costs 5 units of the same quota', async () => {
    clock += 1_000
    const dave = await issuer.sign({ sub: 'dave', plan: 'paid' })
    const statuses = (await burst(5, '/reports', bearer(dave, 'POST'))).map((r) => r.status)
    expect(statuses).toEqual([202, 202, 202, 202, 429])
    expect((await burst(1, '/me', bearer(dave)))[0]!.status).toBe(429) // 20 of 20 burst units used
  })

  it('unknown routes answer 404 and configuration errors name the missing variables', async () => {
    expect((await fetch(`${api.url}/nope`)).status).toBe(404)
    expect(() => handlerFromEnv({ JWT_ISSUER: 'i' })).toThrow(
      'Missing environment variables: JWT_AUDIENCE, JWKS_URI, RATE_LIMIT_TABLE_NAME',
    )
  })
})
