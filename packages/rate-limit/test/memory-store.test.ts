import { describe, expect, it } from '@jest/globals'
import { memoryStore, memoryStoreDefaults } from '../src/index'
import { consume } from './support/consume'
import { resolved, rule, T0 } from './support/rules'
import { describeStoreBehaviour } from './support/store-behaviour'

const shared = memoryStore()
describeStoreBehaviour('memoryStore', () => shared)

describe('memoryStore', () => {
  it('is bounded: beyond maxKeys the least recently used key is forgotten (recency to the second)', async () => {
    const store = memoryStore({ maxKeys: 2 })
    const rules = resolved(rule('r', 1, 60, 'fixed-window'))
    await consume(store, 'a', rules, T0)
    await consume(store, 'b', rules, T0)
    // 'a' used again a second later: now the most recent.
    expect((await consume(store, 'a', rules, T0 + 1_000)).allowed).toBe(false)
    await consume(store, 'c', rules, T0 + 1_000) // evicts 'b'
    expect((await consume(store, 'a', rules, T0 + 1_000)).allowed).toBe(false)
    expect((await consume(store, 'b', rules, T0 + 1_000)).allowed).toBe(true) // forgotten: counts restart; evicts 'a'
    expect((await consume(store, 'c', rules, T0 + 1_000)).allowed).toBe(false)
    expect((await consume(store, 'a', rules, T0 + 1_000)).allowed).toBe(true)
  })

  it('a clock that goes backwards still refreshes recency', async () => {
    const store = memoryStore({ maxKeys: 2 })
    const rules = resolved(rule('r', 1, 60, 'fixed-window'))
    await consume(store, 'a', rules, T0 + 5_000)
    await consume(store, 'b', rules, T0 + 5_000)
    await consume(store, 'a', rules, T0 + 4_000) // touched: 'b' is now the oldest
    await consume(store, 'c', rules, T0 + 5_000)
    expect((await consume(store, 'a', rules, T0 + 5_000)).allowed).toBe(false)
    expect((await consume(store, 'b', rules, T0 + 5_000)).allowed).toBe(true)
  })

  it('treats an expired entry as empty, by the clock it is given', async () => {
    const store = memoryStore()
    const rules = resolved(rule('r', 1, 60, 'fixed-window'))
    expect((await consume(store, 'x', rules, T0)).allowed).toBe(true)
    expect((await consume(store, 'x', rules, T0 + 59_999)).allowed).toBe(false)
    expect((await consume(store, 'x', rules, T0 + 10 * 60_000)).allowed).toBe(true)
  })

  it('1,000 concurrent requests against limit 100: exactly 100 admitted, for each algorithm', async () => {
    for (const algorithm of ['fixed-window', 'sliding-window', 'token-bucket'] as const) {
      const store = memoryStore()
      const rules = resolved(rule('r', 100, 60, algorithm))
      const results = await Promise.all(Array.from({ length: 1000 }, () => consume(store, 'hot', rules, T0)))
      expect(results.filter((r) => r.allowed)).toHaveLength(100)
    }
  })

  it('validates its options', () => {
    expect(() => memoryStore({ maxKeys: 0 })).toThrow('maxKeys must be a positive integer')
    expect(() => memoryStore({ maxkeys: 5 } as never)).toThrow('memoryStore: unknown option "maxkeys"')
    expect(() => memoryStore(null as never)).toThrow('options must be an object')
    expect(memoryStoreDefaults.maxKeys).toBe(10_000)
  })
})
