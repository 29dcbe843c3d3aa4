import { describe, expect, it } from '@jest/globals'
import { type LocalDynamoDb, startDynamoDb } from '@lift/testing'
import { dynamoStore, memoryStore, type RateLimitRule, type RateLimitStore, shardedStore } from '../src/index'
import { type PlanBackend, planStore } from '../src/plan-store'
import type { Snapshot } from '../src/snapshot'
import { admittedOf, consume } from './support/consume'
import { countingClient } from './support/dynamo'
import { httpEvent, limitedHandler, run } from './support/harness'
import { applyUpdates, clausesHold } from './support/plan-interpreter'
import { ALGORITHMS, manualClock, resolved, rule, T0 } from './support/rules'

/**
 * A DynamoDB table in memory with DynamoDB's per-item write limit: at most `capPerSec` writes (failed
 * conditional writes included) per item and second of the simulated clock, beyond which writes are throttled.
 */
function simulatedTable(now: () => number, capPerSec = 1_000) {
  const items = new Map<string, Snapshot>()
  const writes = new Map<string, { second: number; count: number }>()
  const stats = { calls: 0, throttled: 0, items }
  const backend: PlanBackend = {
    ready: () => Promise.resolve(),
    async apply(key, plan) {
      stats.calls++
      const second = Math.floor(now() / 1000)
      const window = writes.get(key)
      if (window === undefined || window.second !== second) writes.set(key, { second, count: 1 })
      else if (++window.count > capPerSec) {
        stats.throttled++
        throw Object.assign(new Error('Throughput exceeds the item limit'), { name: 'ThrottlingException' })
      }
      const state = items.get(key) ?? {}
      if (!clausesHold(state, plan.clauses)) return { applied: false, snapshot: state }
      const next = applyUpdates(state, plan.updates)
      items.set(key, next)
      return { applied: true, snapshot: next }
    },
  }
  return { backend, stats }
}

/**
 * 10,000 requests per second on ONE key for `seconds`, spread round-robin over 50 containers (one request
 * in flight per container, as in Lambda), on the simulated table, with an injected clock.
 */
async function simulate(limit: RateLimitRule, shards: number | undefined, seconds = 1) {
  const clock = manualClock(T0)
  const table = simulatedTable(clock.now)
  const containers = Array.from({ length: 50 }, () => {
    const base: RateLimitStore = planStore(table.backend, {
      owner: 'sim',
      maxCachedKeys: 100,
      maxAttempts: 8,
    })
    return limitedHandler({
      limits: [limit],
      key: 'ip',
      store: shards === undefined ? base : shardedStore(base, { shards }),
      now: clock.now,
      logger: () => {},
    })
  })
  const event = httpEvent({ sourceIp: '198.51.100.200' })
  let admitted = 0
  let decisions = 0
  for (let ms = 0; ms < seconds * 1000; ms++) {
    clock.set(T0 + ms)
    for (let i = 0; i < 10; i++) {
      const outcome = await run(containers[(ms * 10 + i) % 50]!, event)
      decisions++
      if (outcome.statusCode === 200) admitted++
    }
  }
  const callsPer1000 = Math.round((table.stats.calls / decisions) * 1000)
  return { admitted, decisions, throttled: table.stats.throttled, callsPer1000 }
}

const SIM_TIMEOUT_MS = 60_000

describe('hot key: 10,000 requests/s on one key across 50 containers, per-item cap 1,000 writes/s (simulated)', () => {
  it.each(ALGORITHMS)(
    '%s, limit 6,000/min, 16 shards: never above the limit, nothing throttled, cost per decision reported',
    async (algorithm) => {
      const result = await simulate(rule('minute', 6_000, 60, algorithm), 16)
      console.log(
        `hot key, ${algorithm}, shardedStore(16): ${JSON.stringify(result)} (DynamoDB calls per 1,000 decisions: ${result.callsPer1000})`,
      )
      // Token bucket: the burst plus the refill of 1 s (100 units/s); windows: the limit.
      const bound = algorithm === 'token-bucket' ? 6_000 + 100 : 6_000
      expect(result.throttled).toBe(0)
      expect(result.admitted).toBeLessThanOrEqual(bound)
      // Shards fill evenly enough that under 1 % of the limit is left unused.
      expect(result.admitted).toBeGreaterThanOrEqual(bound - 60)
      if (algorithm === 'token-bucket') {
        // A bucket refills continuously: every container keeps asking for the next unit, about a call each.
        expect(result.callsPer1000).toBeLessThanOrEqual(1_100)
      } else {
        // One write per admitted request, plus about one refused write per container and shard while the
        // containers learn which shards are exhausted (50 × 16 = 800 here, 0.08 per decision); refusals of an
        // exhausted key then cost nothing.
        expect(result.callsPer1000).toBeLessThan(Math.ceil((bound / result.decisions) * 1000) + 120)
      }
    },
    SIM_TIMEOUT_MS,
  )

  it(
    'without shards the one item is throttled: the fail-open budget still bounds what passes',
    async () => {
      const result = await simulate(rule('minute', 6_000, 60, 'fixed-window'), undefined)
      console.log(`hot key, fixed-window, one item: ${JSON.stringify(result)}`)
      expect(result.throttled).toBeGreaterThan(0)
      // The item admits the limit at most; each container fails open for 2 % of it at most.
      expect(result.admitted).toBeLessThanOrEqual(6_000 + 50 * 120)
    },
    SIM_TIMEOUT_MS,
  )
})

describe('shardedStore', () => {
  it('splits every limit exactly: 10 over 4 shards admits exactly 10, then refuses (memory store)', async () => {
    const store = shardedStore(memoryStore(), { shards: 4 })
    const rules = resolved(rule('r', 10, 60, 'fixed-window'), rule('b', 30, 60, 'token-bucket'))
    const results = []
    for (let i = 0; i < 12; i++) results.push(await consume(store, 'split', rules, T0))
    expect(results.filter((r) => r.allowed)).toHaveLength(10)
    const last = results[11]!
    expect(last.denied?.rule).toBe(rules[0])
    expect(last.statuses.map((s) => s.rule)).toEqual(rules)
    expect(last.blockMs).toBe(60_000)
    // Once every shard is known exhausted, one shard answers (no fan-out over all of them).
    expect((await consume(store, 'split', rules, T0 + 1)).allowed).toBe(false)
  })

  it('a limit smaller than the shard count uses as many shards as the limit; a limit of 1 is not sharded', async () => {
    const inner = memoryStore()
    const keys: string[] = []
    const store = shardedStore(
      {
        local: true,
        consume: (request) => {
          keys.push(request.key)
          return inner.consume(request)
        },
      },
      { shards: 8 },
    )
    const three = resolved(rule('t', 3, 60, 'sliding-window'))
    expect(await admittedOf(Array.from({ length: 5 }, () => consume(store, 'small', three, T0)))).toBe(3)
    expect(new Set(keys.filter((k) => k.startsWith('small')))).toEqual(
      new Set(['small#s0.3', 'small#s1.3', 'small#s2.3']),
    )
    const one = resolved(rule('o', 1, 60, 'fixed-window'))
    await consume(store, 'single', one, T0)
    expect(keys.at(-1)).toBe('single')
  })

  it('headers: the remaining units are the shard’s × shards, capped at the limit', async () => {
    const store = shardedStore(memoryStore(), { shards: 4 })
    const rules = resolved(rule('r', 100, 60, 'fixed-window'))
    const first = await consume(store, 'estimate', rules, T0)
    expect(first.statuses[0]).toMatchObject({ rule: rules[0], remaining: 96 })
  })

  it(
    'on dynalite: 1,000 concurrent requests from 4 containers, limit 50 over 8 shards → exactly 50, DynamoDB calls counted',
    async () => {
      const db: LocalDynamoDb = await startDynamoDb()
      try {
        await db.createTable({ tableName: 'hot', ttlAttribute: 'expiresAt' })
        const client = countingClient(db.documentClient)
        for (const algorithm of ALGORITHMS) {
          client.commands.length = 0
          const rules = resolved(rule('hot', 50, 60, algorithm))
          const containers = Array.from({ length: 4 }, () =>
            shardedStore(dynamoStore({ tableName: 'hot', documentClient: client }), { shards: 8 }),
          )
          const admitted = await admittedOf(
            Array.from({ length: 1_000 }, (_, i) =>
              consume(containers[i % 4]!, `hot-${algorithm}`, rules, T0 + 3),
            ),
          )
          console.log(
            `shardedStore(8) on dynalite, ${algorithm}: ${admitted} admitted, ${client.commands.length} calls for 1,000 decisions`,
          )
          expect(admitted).toBe(50)
          expect(client.commands.length).toBeLessThan(400)
        }
      } finally {
        await db.stop()
      }
    },
    SIM_TIMEOUT_MS,
  )

  it('validates its options at construction', () => {
    const store = memoryStore()
    expect(() => shardedStore({} as never, { shards: 4 })).toThrow('store must have a consume() method')
    expect(() => shardedStore(store, undefined as never)).toThrow('options must be an object')
    expect(() => shardedStore(store, { shards: 4, shard: 2 } as never)).toThrow('unknown option "shard"')
    for (const shards of [1, 257, 2.5, Number.NaN])
      expect(() => shardedStore(store, { shards })).toThrow('shards must be an integer from 2 to 256')
    expect(() => shardedStore(store, { shards: 4, maxCachedKeys: 0 })).toThrow('maxCachedKeys')
  })

  it('passes ready() through to the store it wraps', async () => {
    let readied = 0
    const store = shardedStore({ ...memoryStore(), ready: async () => void readied++ }, { shards: 2 })
    await store.ready?.()
    expect(readied).toBe(1)
    expect(shardedStore(memoryStore(), { shards: 2 }).ready).toBeUndefined()
  })
})
