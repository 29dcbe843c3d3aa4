import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { TtlLruCache } from '../src/ttl-lru-cache'

function manualClock(start = 1_000_000) {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

describe('TtlLruCache', () => {
  it('returns what was set and undefined for unknown keys', () => {
    const cache = new TtlLruCache<string, number>({ maxEntries: 3, ttlMs: 1000 })
    cache.set('a', 1)
    expect(cache.get('a')).toBe(1)
    expect(cache.get('b')).toBeUndefined()
    expect(cache.has('a')).toBe(true)
    expect(cache.has('b')).toBe(false)
    expect(cache.size).toBe(1)
  })

  it('overwrites a value and keeps one entry per key', () => {
    const cache = new TtlLruCache<string, number>({ maxEntries: 3, ttlMs: 1000 })
    cache.set('a', 1)
    cache.set('a', 2)
    expect(cache.get('a')).toBe(2)
    expect(cache.size).toBe(1)
  })

  it('expires an entry once its ttl has elapsed and removes it on get', () => {
    const clock = manualClock()
    const cache = new TtlLruCache<string, string>({ maxEntries: 3, ttlMs: 1000, now: clock.now })
    cache.set('a', 'x')
    clock.advance(999)
    expect(cache.get('a')).toBe('x')
    clock.advance(1)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('does not extend the lifetime of an entry on a hit', () => {
    const clock = manualClock()
    const cache = new TtlLruCache<string, string>({ maxEntries: 3, ttlMs: 1000, now: clock.now })
    cache.set('a', 'x')
    clock.advance(600)
    expect(cache.get('a')).toBe('x')
    clock.advance(600)
    expect(cache.get('a')).toBeUndefined()
  })

  it('uses the smaller of the per-entry ttl and the default', () => {
    const clock = manualClock()
    const cache = new TtlLruCache<string, string>({ maxEntries: 3, ttlMs: 1000, now: clock.now })
    cache.set('short', 'x', 100)
    cache.set('capped', 'y', 5000)
    clock.advance(100)
    expect(cache.get('short')).toBeUndefined()
    expect(cache.get('capped')).toBe('y')
    clock.advance(900)
    expect(cache.get('capped')).toBeUndefined()
  })

  it('treats a per-entry ttl of 0 as "do not cache" and drops an existing value', () => {
    const cache = new TtlLruCache<string, string>({ maxEntries: 3, ttlMs: 1000 })
    cache.set('a', 'old')
    cache.set('a', 'new', 0)
    expect(cache.get('a')).toBeUndefined()
    expect(cache.size).toBe(0)
  })

  it('never expires with an infinite ttl', () => {
    const clock = manualClock()
    const cache = new TtlLruCache<string, string>({
      maxEntries: 3,
      ttlMs: Number.POSITIVE_INFINITY,
      now: clock.now,
    })
    cache.set('a', 'x')
    clock.advance(10 ** 12)
    expect(cache.get('a')).toBe('x')
  })

  it('evicts the least recently used entry when full', () => {
    const cache = new TtlLruCache<string, number>({ maxEntries: 2, ttlMs: 1000 })
    cache.set('a', 1)
    cache.set('b', 2)
    cache.set('c', 3)
    expect(cache.has('a')).toBe(false)
    expect(cache.get('b')).toBe(2)
    expect(cache.get('c')).toBe(3)
    expect(cache.size).toBe(2)
  })

  it('refreshes recency on get, so a read entry survives eviction', () => {
    const cache = new TtlLruCache<string, number>({ maxEntries: 2, ttlMs: 1000 })
    cache.set('a', 1)
    cache.set('b', 2)
    expect(cache.get('a')).toBe(1)
    cache.set('c', 3)
    expect(cache.get('a')).toBe(1)
    expect(cache.has('b')).toBe(false)
  })

  it('does not refresh recency on has', () => {
    const cache = new TtlLruCache<string, number>({ maxEntries: 2, ttlMs: 1000 })
    cache.set('a', 1)
    cache.set('b', 2)
    expect(cache.has('a')).toBe(true)
    cache.set('c', 3)
    expect(cache.has('a')).toBe(false)
  })

  it('refreshes recency on overwrite', () => {
    const cache = new TtlLruCache<string, number>({ maxEntries: 2, ttlMs: 1000 })
    cache.set('a', 1)
    cache.set('b', 2)
    cache.set('a', 10)
    cache.set('c', 3)
    expect(cache.get('a')).toBe(10)
    expect(cache.has('b')).toBe(false)
  })

  it('has() reports false for an expired entry and removes it', () => {
    const clock = manualClock()
    const cache = new TtlLruCache<string, number>({ maxEntries: 2, ttlMs: 10, now: clock.now })
    cache.set('a', 1)
    clock.advance(10)
    expect(cache.has('a')).toBe(false)
    expect(cache.size).toBe(0)
  })

  it('delete() returns true only for a live entry and removes expired ones', () => {
    const clock = manualClock()
    const cache = new TtlLruCache<string, number>({ maxEntries: 3, ttlMs: 10, now: clock.now })
    cache.set('live', 1)
    cache.set('stale', 2, 5)
    clock.advance(5)
    expect(cache.delete('live')).toBe(true)
    expect(cache.delete('live')).toBe(false)
    expect(cache.delete('stale')).toBe(false)
    expect(cache.delete('never')).toBe(false)
    expect(cache.size).toBe(0)
  })

  it('clear() removes everything', () => {
    const cache = new TtlLruCache<string, number>({ maxEntries: 3, ttlMs: 10 })
    cache.set('a', 1)
    cache.set('b', 2)
    cache.clear()
    expect(cache.size).toBe(0)
    expect(cache.get('a')).toBeUndefined()
  })

  it('stores falsy values faithfully', () => {
    const cache = new TtlLruCache<string, unknown>({ maxEntries: 5, ttlMs: 10 })
    cache.set('zero', 0)
    cache.set('empty', '')
    cache.set('null', null)
    cache.set('false', false)
    expect([cache.get('zero'), cache.get('empty'), cache.get('null'), cache.get('false')]).toEqual([
      0,
      '',
      null,
      false,
    ])
  })

  it('uses Date.now by default', () => {
    const cache = new TtlLruCache<string, number>({ maxEntries: 1, ttlMs: 60_000 })
    cache.set('a', 1)
    expect(cache.get('a')).toBe(1)
  })

  it.each([
    [{ maxEntries: 0, ttlMs: 1 }, 'TtlLruCache: maxEntries must be a positive integer, got 0'],
    [{ maxEntries: 1.5, ttlMs: 1 }, 'TtlLruCache: maxEntries must be a positive integer, got 1.5'],
    [
      { maxEntries: undefined, ttlMs: 1 },
      'TtlLruCache: maxEntries must be a positive integer, got undefined',
    ],
    [{ maxEntries: 1, ttlMs: 0 }, 'TtlLruCache: ttlMs must be a number > 0, got 0'],
    [{ maxEntries: 1, ttlMs: -5 }, 'TtlLruCache: ttlMs must be a number > 0, got -5'],
    [{ maxEntries: 1, ttlMs: Number.NaN }, 'TtlLruCache: ttlMs must be a number > 0, got NaN'],
    [{ maxEntries: 1, ttlMs: '10' }, 'TtlLruCache: ttlMs must be a number > 0, got 10'],
    [{ maxEntries: 1, ttlMs: 1, now: 5 }, 'TtlLruCache: now must be a function returning epoch milliseconds'],
    [null, 'TtlLruCache: options { maxEntries, ttlMs } are required'],
    [{ maxEntries: 1, ttlMs: 1, clock: () => 0 }, 'TtlLruCache: unknown option "clock"'],
  ])('rejects invalid options %p at construction', (options, message) => {
    expect(() => new TtlLruCache(options as never)).toThrow(message)
  })

  it.each([-1, Number.NaN, '5'])('rejects the per-entry ttl %p', (ttl) => {
    const cache = new TtlLruCache<string, number>({ maxEntries: 1, ttlMs: 10 })
    expect(() => cache.set('a', 1, ttl as number)).toThrow(/TtlLruCache.set: ttlMs must be a number >= 0/)
  })
})

/** The obvious O(n) implementation: an array ordered from least to most recently used. */
class ReferenceCache {
  entries: Array<{ key: string; value: number; expiresAt: number }> = []
  constructor(
    readonly maxEntries: number,
    readonly ttlMs: number,
    readonly now: () => number,
  ) {}

  #find(key: string): number {
    const index = this.entries.findIndex((entry) => entry.key === key)
    if (index === -1) return -1
    if (this.now() >= this.entries[index]!.expiresAt) {
      this.entries.splice(index, 1)
      return -1
    }
    return index
  }

  get(key: string): number | undefined {
    const index = this.#find(key)
    if (index === -1) return undefined
    const [entry] = this.entries.splice(index, 1)
    this.entries.push(entry!)
    return entry!.value
  }

  set(key: string, value: number, ttlMs?: number): void {
    this.entries = this.entries.filter((entry) => entry.key !== key)
    const lifetime = Math.min(ttlMs ?? this.ttlMs, this.ttlMs)
    if (lifetime === 0) return
    this.entries.push({ key, value, expiresAt: this.now() + lifetime })
    if (this.entries.length > this.maxEntries) this.entries.shift()
  }

  has(key: string): boolean {
    return this.#find(key) !== -1
  }

  delete(key: string): boolean {
    const live = this.#find(key) !== -1
    this.entries = this.entries.filter((entry) => entry.key !== key)
    return live
  }
}

type Operation =
  | { op: 'get'; key: string }
  | { op: 'set'; key: string; value: number; ttlMs?: number }
  | { op: 'has'; key: string }
  | { op: 'delete'; key: string }
  | { op: 'advance'; ms: number }
  | { op: 'clear' }

const keyArbitrary = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
const operationArbitrary: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('get' as const), key: keyArbitrary }), weight: 4 },
  {
    arbitrary: fc.record(
      {
        op: fc.constant('set' as const),
        key: keyArbitrary,
        value: fc.integer(),
        ttlMs: fc.integer({ min: 0, max: 30 }),
      },
      { requiredKeys: ['op', 'key', 'value'] },
    ),
    weight: 4,
  },
  { arbitrary: fc.record({ op: fc.constant('has' as const), key: keyArbitrary }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), key: keyArbitrary }), weight: 1 },
  {
    arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 10 }) }),
    weight: 2,
  },
  { arbitrary: fc.constant({ op: 'clear' as const }), weight: 1 },
)

describe('TtlLruCache against a reference model (property)', () => {
  it('agrees with the reference on every result and size for random operation sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 20 }),
        fc.array(operationArbitrary, { maxLength: 80 }),
        (maxEntries, ttlMs, operations) => {
          let now = 0
          const clock = () => now
          const cache = new TtlLruCache<string, number>({ maxEntries, ttlMs, now: clock })
          const model = new ReferenceCache(maxEntries, ttlMs, clock)
          for (const operation of operations) {
            switch (operation.op) {
              case 'get':
                expect(cache.get(operation.key)).toBe(model.get(operation.key))
                break
              case 'set':
                cache.set(operation.key, operation.value, operation.ttlMs)
                model.set(operation.key, operation.value, operation.ttlMs)
                break
              case 'has':
                expect(cache.has(operation.key)).toBe(model.has(operation.key))
                break
              case 'delete':
                expect(cache.delete(operation.key)).toBe(model.delete(operation.key))
                break
              case 'advance':
                now += operation.ms
                break
              case 'clear':
                cache.clear()
                model.entries = []
                break
            }
            expect(cache.size).toBe(model.entries.length)
            expect(cache.size).toBeLessThanOrEqual(maxEntries)
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})
