import { describe, expect, it } from '@jest/globals'
import type { RateLimitStore } from '../../src/index'
import { consume } from './consume'
import { ALGORITHMS, resolved, rule, T0 } from './rules'

let keyCounter = 0
const freshKey = () => `k:behaviour-${++keyCounter}`

/** What every store must do the same way; run against memoryStore and dynamoStore (on dynalite). */
export function describeStoreBehaviour(name: string, store: () => RateLimitStore): void {
  describe(`${name}: shared store behaviour`, () => {
    it.each(ALGORITHMS)(
      '%s: admits exactly the limit in sequence, then refuses without consuming',
      async (algorithm) => {
        const rules = resolved(rule('r', 5, 60, algorithm))
        const key = freshKey()
        const results = []
        for (let i = 0; i < 8; i++) results.push(await consume(store(), key, rules, T0 + 10))
        expect(results.map((r) => r.allowed)).toEqual([true, true, true, true, true, false, false, false])
        expect(results.map((r) => r.statuses[0]!.remaining)).toEqual([4, 3, 2, 1, 0, 0, 0, 0])
        expect(results[7]!.denied?.rule.name).toBe('r')
      },
    )

    it('fixed window: the count restarts exactly at the window boundary', async () => {
      const rules = resolved(rule('m', 2, 60, 'fixed-window'))
      const key = freshKey()
      const at = (ms: number) => consume(store(), key, rules, ms)
      expect((await at(T0 + 59_000)).allowed).toBe(true)
      expect((await at(T0 + 59_999)).allowed).toBe(true)
      const refused = await at(T0 + 59_999)
      expect(refused.allowed).toBe(false)
      expect(refused.denied?.retryAfterMs).toBe(1)
      expect((await at(T0 + 60_000)).allowed).toBe(true)
      expect((await at(T0 + 60_000)).statuses[0]).toMatchObject({ remaining: 0, resetMs: 60_000 })
    })

    it('sliding window: the previous window weighs by the part still inside the sliding window', async () => {
      const rules = resolved(rule('s', 10, 60, 'sliding-window'))
      const key = freshKey()
      for (let i = 0; i < 10; i++)
        expect((await consume(store(), key, rules, T0 + 30_000)).allowed).toBe(true)
      // 15 s into the next window: estimate = 10 × 45/60 = 7.5 → 2 more fit (9.5), the third would not (10.5).
      const at = T0 + 75_000
      expect((await consume(store(), key, rules, at)).allowed).toBe(true)
      const second = await consume(store(), key, rules, at)
      expect(second.allowed).toBe(true)
      expect(second.statuses[0]!.remaining).toBe(0)
      const third = await consume(store(), key, rules, at)
      expect(third.allowed).toBe(false)
      // Admissible again once 10·(60−e)/60 + 2 + 1 <= 10, i.e. e >= 18 s: 3 s from now.
      expect(third.denied?.retryAfterMs).toBe(3_000)
      expect((await consume(store(), key, rules, T0 + 78_000)).allowed).toBe(true)
    })

    it('token bucket (GCRA): a full burst, then one unit per limit/windowSec, no sleeping', async () => {
      const rules = resolved(rule('b', 4, 2, 'token-bucket')) // 4 burst, one unit per 500 ms
      const key = freshKey()
      for (let i = 0; i < 4; i++) expect((await consume(store(), key, rules, T0)).allowed).toBe(true)
      const refused = await consume(store(), key, rules, T0 + 100)
      expect(refused.allowed).toBe(false)
      expect(refused.denied?.retryAfterMs).toBe(400)
      expect((await consume(store(), key, rules, T0 + 500)).allowed).toBe(true)
      expect((await consume(store(), key, rules, T0 + 500)).allowed).toBe(false)
      // After 2 s of silence the bucket is full again: exactly the burst once more.
      const later = T0 + 3_000
      const burst = []
      for (let i = 0; i < 5; i++) burst.push((await consume(store(), key, rules, later)).allowed)
      expect(burst).toEqual([true, true, true, true, false])
    })

    it('several limits are all-or-nothing: a refusal by one consumes none of the others', async () => {
      const rules = resolved(
        rule('burst', 3, 1, 'token-bucket'),
        rule('minute', 5, 60, 'fixed-window'),
        rule('hour', 100, 3600, 'sliding-window'),
      )
      const key = freshKey()
      const outcomes = []
      for (let i = 0; i < 6; i++) outcomes.push(await consume(store(), key, rules, T0))
      expect(outcomes.map((o) => o.allowed)).toEqual([true, true, true, false, false, false])
      expect(outcomes[3]!.denied?.rule.name).toBe('burst')
      const afterRefusals = outcomes[5]!.statuses.map((s) => [s.rule.name, s.remaining])
      expect(afterRefusals).toEqual([
        ['burst', 0],
        ['minute', 2],
        ['hour', 97],
      ])
      // Two seconds later the burst has refilled; the minute limit stops the request at 5.
      const later = []
      for (let i = 0; i < 3; i++) later.push(await consume(store(), key, rules, T0 + 2_000))
      expect(later.map((o) => o.allowed)).toEqual([true, true, false])
      expect(later[2]!.denied?.rule.name).toBe('minute')
      expect(later[2]!.statuses.map((s) => s.remaining)).toEqual([1, 0, 95])
    })

    it('a cost above one consumes that many units; a cost above the limit never fits and blocks nothing', async () => {
      const rules = resolved(rule('c', 10, 60, 'fixed-window'))
      const key = freshKey()
      expect((await consume(store(), key, rules, T0, 7)).statuses[0]!.remaining).toBe(3)
      const tooMuch = await consume(store(), key, rules, T0, 4)
      expect(tooMuch.allowed).toBe(false)
      expect(tooMuch.blockMs).toBe(0) // a cost-1 request still fits
      expect((await consume(store(), key, rules, T0, 3)).allowed).toBe(true)
      const full = await consume(store(), key, rules, T0, 1)
      expect(full.blockMs).toBe(60_000)
      const huge = await consume(store(), freshKey(), rules, T0, 11)
      expect(huge.allowed).toBe(false)
      expect(huge.blockMs).toBe(0)
    })

    it('keys are independent', async () => {
      const rules = resolved(rule('r', 1, 60, 'fixed-window'))
      const [a, b] = [freshKey(), freshKey()]
      expect((await consume(store(), a, rules, T0)).allowed).toBe(true)
      expect((await consume(store(), a, rules, T0)).allowed).toBe(false)
      expect((await consume(store(), b, rules, T0)).allowed).toBe(true)
    })
  })
}
