import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type LocalValkey, startValkey } from '@lift/testing'
import Redis from 'ioredis'
import { type RateLimitStore, type ValkeyClientLike, valkeyStore, valkeyStoreDefaults } from '../src/index'
import { admittedOf, consume } from './support/consume'
import { httpEvent, limitedHandler, run } from './support/harness'
import { ALGORITHMS, resolved, rule, T0 } from './support/rules'
import { describeStoreBehaviour } from './support/store-behaviour'

let valkey: LocalValkey
let redis: Redis
let shared: RateLimitStore

beforeAll(async () => {
  // A real valkey-server (or redis-server): the test fails, never skips, when neither is installed.
  valkey = await startValkey()
  redis = new Redis(valkey.url)
  shared = valkeyStore({ client: redis })
})

afterAll(async () => {
  redis.disconnect()
  await valkey.stop()
})

/** A client that counts the commands it forwards. */
function counting(client: Redis): ValkeyClientLike & { commands: string[] } {
  const commands: string[] = []
  return {
    commands,
    evalsha: (...args) => {
      commands.push('EVALSHA')
      return client.evalsha(...args)
    },
    eval: (...args) => {
      commands.push('EVAL')
      return client.eval(...args)
    },
  }
}

describeStoreBehaviour('valkeyStore (fresh container per request)', () => valkeyStore({ client: redis }))
describeStoreBehaviour('valkeyStore (one container)', () => shared)

describe('valkeyStore exactness on a real server', () => {
  it.each(ALGORITHMS)(
    '%s: 1,000 concurrent requests from 10 containers for one key, limit 50 → exactly 50 admitted',
    async (algorithm) => {
      const rules = resolved(rule('hot', 50, 60, algorithm))
      const containers = Array.from({ length: 10 }, () => valkeyStore({ client: redis }))
      const key = `exact-${algorithm}`
      const admitted = await admittedOf(
        Array.from({ length: 1_000 }, (_, i) => consume(containers[i % 10]!, key, rules, T0 + 5)),
      )
      expect(admitted).toBe(50)
      const stored = await redis.hgetall(`rl#${key}`)
      if (algorithm === 'token-bucket')
        expect(Number(stored['tat#hot'])).toBe((T0 + 5) * 1000 + 50 * 1_200_000)
      else expect(stored[`c#hot#${Math.floor(T0 / 60_000)}`]).toBe('50')
    },
  )

  it('the middleware with default options over 4 containers: a 1,000-way burst at limit 50 admits 50', async () => {
    const containers = Array.from({ length: 4 }, () =>
      limitedHandler({
        limits: [rule('minute', 50, 60, 'sliding-window')],
        key: 'ip',
        store: valkeyStore({ client: redis }),
        now: () => T0 + 9,
      }),
    )
    const event = httpEvent({ sourceIp: '203.0.113.99' })
    const outcomes = await Promise.all(
      Array.from({ length: 1_000 }, (_, i) => run(containers[i % 4]!, event)),
    )
    expect(outcomes.filter((o) => o.statusCode === 200)).toHaveLength(50)
    expect(outcomes.filter((o) => o.statusCode === 429)).toHaveLength(950)
  })
})

describe('valkeyStore script and round trips', () => {
  it('EVALSHA, and EVAL once when the server does not have the script (after SCRIPT FLUSH or a failover)', async () => {
    const client = counting(redis)
    const store = valkeyStore({ client })
    const rules = resolved(rule('r', 5, 60, 'fixed-window'))
    await redis.script('FLUSH')
    expect((await consume(store, 'scripted', rules, T0)).allowed).toBe(true)
    expect((await consume(store, 'scripted', rules, T0)).allowed).toBe(true)
    expect(client.commands).toEqual(['EVALSHA', 'EVAL', 'EVALSHA'])
  })

  it('a refusal by the server costs one round trip: the script answers with the state that failed', async () => {
    const rules = resolved(rule('g', 2, 60, 'token-bucket'))
    for (let i = 0; i < 2; i++) await consume(shared, 'refused-once', rules, T0)
    const client = counting(redis)
    const fresh = valkeyStore({ client })
    // A new container assumes an empty bucket; the script refutes it and returns the hash.
    const refused = await consume(fresh, 'refused-once', rules, T0 + 1)
    expect(refused.allowed).toBe(false)
    expect(client.commands).toEqual(['EVALSHA'])
    // From then on the container refuses from what it saw, without a call.
    expect((await consume(fresh, 'refused-once', rules, T0 + 2)).allowed).toBe(false)
    expect(client.commands).toEqual(['EVALSHA'])
  })

  it('sets the expiry past the last window and removes counters no rule reads any more', async () => {
    const rules = resolved(rule('f', 5, 60, 'fixed-window'))
    const index = Math.floor(T0 / 60_000)
    await consume(shared, 'cleanup', rules, T0)
    await consume(shared, 'cleanup', rules, T0 + 60_000)
    expect(Object.keys(await redis.hgetall('rl#cleanup'))).toEqual([`c#f#${index + 1}`])
    // The time to live runs from the request's clock: to the end of the window plus one window of grace.
    const ttl = await redis.ttl('rl#cleanup')
    expect(ttl).toBeGreaterThan(110)
    expect(ttl).toBeLessThanOrEqual(120)
  })

  it('a token-bucket TAT written by a clock 10 minutes ahead is ignored and replaced', async () => {
    const rules = resolved(rule('b', 60, 60, 'token-bucket'))
    await consume(valkeyStore({ client: redis }), 'far-ahead', rules, T0 + 600_000)
    let admitted = 0
    for (let i = 0; i < 70; i++) if ((await consume(shared, 'far-ahead', rules, T0)).allowed) admitted++
    expect(admitted).toBe(60)
  })

  it('propagates server errors other than NOSCRIPT, and a reply that is not the script’s', async () => {
    const rules = resolved(rule('r', 5, 60, 'fixed-window'))
    const readonly = valkeyStore({
      client: {
        evalsha: () => Promise.reject(new Error("READONLY You can't write against a read only replica.")),
        eval: () => Promise.reject(new Error('unreachable')),
      },
    })
    await expect(consume(readonly, 'ro', rules, T0)).rejects.toThrow(/^READONLY/)
    const odd = valkeyStore({ client: { evalsha: async () => 'OK', eval: async () => 'OK' } })
    await expect(consume(odd, 'odd', rules, T0)).rejects.toThrow('unexpected script reply')
  })

  it('validates its options at construction', () => {
    expect(() => valkeyStore(undefined as never)).toThrow('options must be an object')
    expect(() => valkeyStore({} as never)).toThrow('client must be an ioredis or iovalkey client')
    expect(() => valkeyStore({ client: redis, keyprefix: 'x' } as never)).toThrow(
      'unknown option "keyprefix"',
    )
    expect(() => valkeyStore({ client: redis, keyPrefix: 1 as never })).toThrow('keyPrefix')
    expect(() => valkeyStore({ client: redis, maxAttempts: 0 })).toThrow('maxAttempts')
    expect(() => valkeyStore({ client: redis, maxCachedKeys: 2.5 })).toThrow('maxCachedKeys')
    expect(valkeyStoreDefaults).toEqual({ keyPrefix: 'rl#', maxCachedKeys: 10_000, maxAttempts: 8 })
  })
})
