import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { type LocalDynamoDb, startDynamoDb } from '@lift/testing'
import { dynamoStore, memoryStore, type RateLimitOptions } from '../src/index'
import { consume } from './support/consume'
import { httpEvent, limitedHandler, principal, run } from './support/harness'
import { manualClock, resolved, rule, T0 } from './support/rules'

const minute = rule('minute', 2, 60, 'fixed-window')
const base = (overrides: Partial<RateLimitOptions> = {}): RateLimitOptions => ({
  limits: [minute],
  key: 'ip',
  store: memoryStore(),
  now: () => T0,
  logger: () => {},
  ...overrides,
})

let db: LocalDynamoDb
beforeAll(async () => {
  db = await startDynamoDb()
  await db.createTable({ tableName: 'limits-attacks', ttlAttribute: 'expiresAt' })
})
afterAll(async () => {
  await db.stop()
})

describe('attacks on rateLimit', () => {
  it('key injection: a spoofed X-Forwarded-For does not change the IP a request is counted under', async () => {
    const handler = limitedHandler(base())
    const spoofed = (ip: string) => httpEvent({ headers: { 'x-forwarded-for': ip } })
    expect((await run(handler, spoofed('10.0.0.1'))).statusCode).toBe(200)
    expect((await run(handler, spoofed('10.0.0.2'))).statusCode).toBe(200)
    expect((await run(handler, spoofed('10.0.0.3'))).statusCode).toBe(429)
  })

  it('IPv6 rotation: a client cannot escape the ip limit by changing the low 64 bits of its address', async () => {
    // Every IPv6 customer holds at least a /64 (2^64 addresses): key 'ip' counts the network, not the address.
    const handler = limitedHandler(base())
    const from = (sourceIp: string) => httpEvent({ sourceIp })
    expect((await run(handler, from('2001:db8:1:2::10'))).statusCode).toBe(200)
    expect((await run(handler, from('2001:DB8:1:2:0:0:ffff:9'))).statusCode).toBe(200)
    expect((await run(handler, from('2001:db8:1:2:abcd:ef01:2345:6789'))).statusCode).toBe(429)
    expect((await run(handler, from('2001:db8:1:3::10'))).statusCode).toBe(200)
    // An IPv4 client seen through a dual-stack socket is that IPv4 address, never one bucket for all of IPv4.
    expect((await run(handler, from('203.0.113.20'))).statusCode).toBe(200)
    expect((await run(handler, from('::ffff:203.0.113.20'))).statusCode).toBe(200)
    expect((await run(handler, from('::ffff:cb00:7114'))).statusCode).toBe(429)
    expect((await run(handler, from('::ffff:203.0.113.21'))).statusCode).toBe(200)
  })

  it('key injection: separators and control characters in a crafted header cannot reach or collide with another key', async () => {
    const store = memoryStore()
    const handler = limitedHandler(base({ store, key: (view) => `apikey:${view.header('x-api-key') ?? ''}` }))
    const withKey = (value: string) => httpEvent({ headers: { 'x-api-key': value } })
    for (let i = 0; i < 2; i++) await run(handler, withKey('victim'))
    expect((await run(handler, withKey('victim'))).statusCode).toBe(429)
    // Crafted values that would alias the victim in a naive key scheme are counted on their own keys.
    for (const crafted of [
      'victim\u0000',
      'victim#c#minute#1',
      'victim\nk:apikey:victim',
      'VICTIM',
      'victim ',
    ]) {
      expect((await run(handler, withKey(crafted))).statusCode).toBe(200)
    }
    // …and they never pollute the victim's count (which stays exhausted, not reset or shared).
    expect((await run(handler, withKey('victim'))).statusCode).toBe(429)
  })

  it('key namespaces: a principal id equal to an IP or a tenant id is a different key', async () => {
    const store = memoryStore()
    const asPrincipal = limitedHandler(base({ store, key: 'principal' }), {
      principal: principal('198.51.100.7', { tenantId: '198.51.100.7' }),
    })
    const asTenant = limitedHandler(base({ store, key: 'tenant' }), {
      principal: principal('someone', { tenantId: '198.51.100.7' }),
    })
    const asIp = limitedHandler(base({ store }))
    for (const handler of [asPrincipal, asTenant, asIp]) {
      expect((await run(handler)).statusCode).toBe(200)
      expect((await run(handler)).statusCode).toBe(200)
      expect((await run(handler)).statusCode).toBe(429)
    }
  })

  it('oversized keys: a 4 KB key is hashed to a fixed-size DynamoDB partition key; events carry only a digest', async () => {
    const long = `route|${'x'.repeat(4000)}`
    const client = db.documentClient
    const sent: string[] = []
    const store = dynamoStore({
      tableName: 'limits-attacks',
      documentClient: {
        send(command: never, options?: { abortSignal?: AbortSignal }) {
          sent.push(String((command as { input: { Key: { pk: string } } }).input.Key.pk))
          return client.send(command, options)
        },
      },
    })
    const outcome = await run(limitedHandler(base({ store, key: () => long })))
    expect(outcome.statusCode).toBe(200)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatch(/^rl#h:[A-Za-z0-9_-]{43}$/)
    expect(JSON.stringify(outcome.events)).not.toContain('xxxx')
    const tooLong = await run(limitedHandler(base({ key: () => 'y'.repeat(5000) })))
    expect(tooLong.statusCode).toBe(400)
  })

  it('cost manipulation: a negative, fractional, NaN or huge cost from the request never refunds or bypasses', async () => {
    const store = memoryStore()
    const logger = jest.fn()
    const handler = limitedHandler(base({ store, logger, cost: (view) => Number(view.query.weight ?? '1') }))
    const weighing = (weight: string) => httpEvent({ query: { weight } })
    expect((await run(handler, weighing('1'))).statusCode).toBe(200)
    expect((await run(handler, weighing('1'))).statusCode).toBe(200)
    for (const weight of ['-5', '0.5', 'NaN', '-Infinity', '1e400']) {
      expect((await run(handler, weighing(weight))).statusCode).toBe(500)
    }
    expect(logger).toHaveBeenCalledWith('rateLimit: cost() must be a positive integer', expect.any(Object))
    expect((await run(handler, weighing('1'))).statusCode).toBe(429) // nothing was refunded
    const other = httpEvent({ sourceIp: '203.0.113.9', query: { weight: '1000000000' } })
    expect((await run(handler, other)).statusCode).toBe(429) // a huge cost is refused…
    expect((await run(handler, httpEvent({ sourceIp: '203.0.113.9' }))).statusCode).toBe(200) // …and blocks nobody
  })

  it('replay after block: hammering a blocked key neither consumes nor prolongs the block', async () => {
    const clock = manualClock(T0)
    const handler = limitedHandler(base({ now: clock.now }))
    for (let i = 0; i < 2; i++) await run(handler)
    for (let i = 0; i < 50; i++) {
      clock.advance(1_000)
      expect((await run(handler)).statusCode).toBe(429)
    }
    clock.set(T0 + 60_000)
    expect([
      (await run(handler)).statusCode,
      (await run(handler)).statusCode,
      (await run(handler)).statusCode,
    ]).toEqual([200, 200, 429])
  })

  it('clock skew across containers: a container whose clock runs behind cannot restart a window', async () => {
    const rules = resolved(rule('f', 3, 60, 'fixed-window'), rule('s', 3, 60, 'sliding-window'))
    const ahead = dynamoStore({ tableName: 'limits-attacks', documentClient: db.documentClient })
    const behind = dynamoStore({ tableName: 'limits-attacks', documentClient: db.documentClient })
    // Container A is already in the next window (its clock is 2 s ahead) and uses up the new window.
    for (let i = 0; i < 3; i++) expect((await consume(ahead, 'skew', rules, T0 + 60_500)).allowed).toBe(true)
    // Container B, 2 s behind, still in the old (empty) window: it must count into the newest one.
    const late = await consume(behind, 'skew', rules, T0 + 58_500)
    expect(late.allowed).toBe(false)
    expect(late.statuses.map((s) => s.remaining)).toEqual([0, 0])
  })

  it('clock skew across containers: a token-bucket container behind gets nothing extra', async () => {
    const rules = resolved(rule('b', 3, 3, 'token-bucket'))
    const a = dynamoStore({ tableName: 'limits-attacks', documentClient: db.documentClient })
    const b = dynamoStore({ tableName: 'limits-attacks', documentClient: db.documentClient })
    for (let i = 0; i < 3; i++)
      expect((await consume(a, 'skew-bucket', rules, T0 + 1_000)).allowed).toBe(true)
    expect((await consume(b, 'skew-bucket', rules, T0 + 500)).allowed).toBe(false)
  })

  it('clock skew: a token-bucket container 10 minutes ahead cannot freeze the key for correct clocks', async () => {
    const rules = resolved(rule('b', 60, 60, 'token-bucket'))
    const ahead = dynamoStore({ tableName: 'limits-attacks', documentClient: db.documentClient })
    expect((await consume(ahead, 'far-ahead', rules, T0 + 600_000)).allowed).toBe(true)
    // Its TAT (10 min + 1 s ahead) is beyond now + 2 windows: ignored, so correct clocks see a full bucket.
    const correct = Array.from({ length: 3 }, () =>
      dynamoStore({ tableName: 'limits-attacks', documentClient: db.documentClient }),
    )
    let admitted = 0
    for (let i = 0; i < 70; i++)
      if ((await consume(correct[i % 3]!, 'far-ahead', rules, T0)).allowed) admitted++
    expect(admitted).toBe(60)
    // The memory store applies the same cap.
    const memory = memoryStore()
    await consume(memory, 'far-ahead', rules, T0 + 600_000)
    expect((await consume(memory, 'far-ahead', rules, T0)).statuses[0]!.remaining).toBe(59)
  })

  it('clock skew: a token-bucket clock ahead by less than a window is trusted, the key waits at most the skew', async () => {
    const rules = resolved(rule('b', 60, 60, 'token-bucket'))
    const ahead = dynamoStore({ tableName: 'limits-attacks', documentClient: db.documentClient })
    for (let i = 0; i < 60; i++) await consume(ahead, 'near-ahead', rules, T0 + 30_000)
    const correct = dynamoStore({ tableName: 'limits-attacks', documentClient: db.documentClient })
    // TAT = T0 + 90 s: within the trusted range, so the bucket is empty for a correct clock at T0 …
    const refused = await consume(correct, 'near-ahead', rules, T0)
    expect(refused.allowed).toBe(false)
    // … until the skew (30 s) plus one emission interval (1 s) has passed.
    expect(refused.denied?.retryAfterMs).toBe(31_000)
  })

  it('key collision: API keys differing only in lone surrogates are counted apart', async () => {
    const handler = limitedHandler(base({ key: (view) => `apikey:${view.header('x-api-key') ?? 'none'}` }))
    const withKey = (value: string) => httpEvent({ headers: { 'x-api-key': value } })
    for (let i = 0; i < 2; i++) expect((await run(handler, withKey('\uD800'))).statusCode).toBe(200)
    expect((await run(handler, withKey('\uD800'))).statusCode).toBe(429)
    expect((await run(handler, withKey('\uDBFF'))).statusCode).toBe(200)
    expect((await run(handler, withKey('\uFFFD'))).statusCode).toBe(200)
  })

  it.each([
    ['an empty', ''],
    ['an oversized (4,097 characters)', 'k'.repeat(4_097)],
  ])('%s key taken from a client header: 400 problem+json, published, never a 500', async (_, value) => {
    const logger = jest.fn()
    const handler = limitedHandler(base({ key: (view) => view.header('x-api-key') ?? 'anonymous', logger }))
    const outcome = await run(handler, httpEvent({ headers: { 'x-api-key': value } }))
    expect(outcome.statusCode).toBe(400)
    expect(outcome.headers['Content-Type']).toBe('application/problem+json')
    expect(JSON.parse(outcome.body)).toMatchObject({ status: 400, code: 'rate-limit-key-invalid' })
    expect(outcome.body).not.toContain('kkkk')
    expect(outcome.events).toMatchObject([{ outcome: 'deny', reason: 'invalid-key' }])
    expect(JSON.stringify(logger.mock.calls)).not.toContain('kkkk')
  })

  it('a key function that returns no string is the server misconfigured: 500', async () => {
    const handler = limitedHandler(base({ key: () => undefined as never }))
    expect((await run(handler)).statusCode).toBe(500)
  })

  it('header injection: a limit name cannot smuggle structured-field syntax into RateLimit-Policy', () => {
    expect(() => limitedHandler(base({ limits: [rule('a";q=999, "b', 1, 1, 'fixed-window')] }))).toThrow(
      'limits[0].name',
    )
  })
})
