import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { counterAttribute, decide, statuses, tatAttribute } from '../src/algorithms'
import { snapshotOf, updateExpression } from '../src/dynamo-expression'
import { memoryStore } from '../src/index'
import { consumeInMemory, type MemoryState, memoryStateAttributes } from '../src/memory-state'
import { consume } from './support/consume'
import { applyUpdates, clausesHold } from './support/plan-interpreter'
import { resolved, rule, T0 } from './support/rules'

const W = Math.floor(T0 / 60_000)

describe('decide(): one atomic write for all limits', () => {
  it('fixed window: asserts the current count and that no newer window exists; removes older windows', () => {
    const rules = resolved(rule('m', 10, 60, 'fixed-window'))
    const snapshot = { [counterAttribute('m', W - 2)]: 9, [counterAttribute('m', W)]: 4, 'c#other#1': 1 }
    const decision = decide(snapshot, rules, 2, T0 + 30_000)
    expect(decision.allowed).toBe(true)
    expect(decision.plan).toEqual({
      clauses: [
        { op: 'at-most', attr: `c#m#${W}`, value: 8 },
        { op: 'absent', attr: `c#m#${W + 1}` },
      ],
      updates: [
        { op: 'add', attr: `c#m#${W}`, value: 2 },
        { op: 'remove', attr: `c#m#${W - 2}` },
      ],
      expiresAtSec: (T0 + 60_000) / 1000 + 60,
    })
    const next = applyUpdates(snapshot, decision.plan.updates)
    expect(next).toEqual({ [`c#m#${W}`]: 6, 'c#other#1': 1 })
    expect(clausesHold(snapshot, decision.plan.clauses)).toBe(true)
    expect(clausesHold(next, decide(next, rules, 5, T0 + 30_000).plan.clauses)).toBe(false)
  })

  it('sliding window: asserts the previous count it weighed (a container behind cannot raise it unseen)', () => {
    const rules = resolved(rule('s', 10, 60, 'sliding-window'))
    const snapshot = { [counterAttribute('s', W - 1)]: 6 }
    const decision = decide(snapshot, rules, 1, T0 + 30_000) // estimate 6·½ = 3
    expect(decision.plan.clauses).toContainEqual({ op: 'at-most', attr: `c#s#${W - 1}`, value: 6 })
    expect(decision.plan.clauses).toContainEqual({ op: 'at-most', attr: `c#s#${W}`, value: 6 })
    expect(clausesHold({ ...snapshot, [`c#s#${W - 1}`]: 7 }, decision.plan.clauses)).toBe(false)
    expect(statuses(snapshot, rules, T0 + 30_000)[0]).toMatchObject({ remaining: 7, resetMs: 30_000 })
  })

  it('token bucket: chooses the GCRA branch from the known TAT and asserts it', () => {
    const rules = resolved(rule('b', 10, 10, 'token-bucket')) // one unit per second
    const nowUs = (T0 + 500) * 1000
    const empty = decide({}, rules, 1, T0 + 500)
    expect(empty.plan.clauses).toEqual([{ op: 'absent-or-below', attr: 'tat#b', value: nowUs }])
    expect(empty.plan.updates).toEqual([{ op: 'set', attr: 'tat#b', value: nowUs + 1_000_000 }])
    const running = decide({ [tatAttribute('b')]: nowUs + 3_000_000 }, rules, 2, T0 + 500)
    expect(running.plan.clauses).toEqual([
      { op: 'between', attr: 'tat#b', min: nowUs, max: nowUs + 8_000_000 },
    ])
    expect(running.plan.updates).toEqual([{ op: 'add', attr: 'tat#b', value: 2_000_000 }])
    expect(clausesHold({ 'tat#b': nowUs - 1 }, running.plan.clauses)).toBe(false)
    expect(clausesHold({}, running.plan.clauses)).toBe(false)
  })

  it('refusals report the limit with the longest wait and how long a cost-1 request is blocked', () => {
    const rules = resolved(rule('burst', 2, 1, 'token-bucket'), rule('minute', 2, 60, 'fixed-window'))
    const nowUs = T0 * 1000
    const decision = decide({ 'tat#burst': nowUs + 1_000_000, [`c#minute#${W}`]: 2 }, rules, 1, T0)
    expect(decision.allowed).toBe(false)
    expect(decision.denied).toMatchObject({ rule: { name: 'minute' }, retryAfterMs: 60_000 })
    expect(decision.blockMs).toBe(60_000)
  })

  it('sliding window waits: within this window, or into the next one', () => {
    const rules = resolved(rule('s', 4, 60, 'sliding-window'))
    const full = decide({ [`c#s#${W}`]: 4 }, rules, 1, T0 + 15_000)
    // Next window: 4·(60−e)/60 + 1 <= 4 ⟺ e >= 15 s.
    expect(full.denied?.retryAfterMs).toBe(45_000 + 15_000)
    const never = decide({}, rules, 5, T0)
    expect(never.denied?.retryAfterMs).toBe(60_000)
    expect(never.blockMs).toBe(0)
    const bucketNever = decide({}, resolved(rule('b', 2, 1, 'token-bucket')), 3, T0)
    expect(bucketNever.denied?.retryAfterMs).toBe(1_000)
  })

  it('a window newer than the clock (a container ahead) is adopted, never counted behind', () => {
    const rules = resolved(rule('f', 3, 60, 'fixed-window'))
    const ahead = { [`c#f#${W + 1}`]: 3 }
    const decision = decide(ahead, rules, 1, T0 + 59_000)
    expect(decision.allowed).toBe(false)
    expect(decision.denied?.retryAfterMs).toBe(61_000)
    // A counter two windows ahead can only come from a badly wrong clock: it is ignored, not adopted.
    expect(decide({ [`c#f#${W + 2}`]: 3 }, rules, 1, T0 + 59_000).allowed).toBe(true)
  })
})

describe('updateExpression(): the plan as one UpdateItem', () => {
  it('builds the condition, SET / ADD / REMOVE sections and placeholders', () => {
    const parts = updateExpression({
      clauses: [
        { op: 'at-most', attr: 'c#m#5', value: 9 },
        { op: 'absent', attr: 'c#m#6' },
        { op: 'between', attr: 'tat#b', min: 1, max: 2 },
        { op: 'absent-or-below', attr: 'tat#c', value: 3 },
      ],
      updates: [
        { op: 'add', attr: 'c#m#5', value: 1 },
        { op: 'remove', attr: 'c#m#3' },
        { op: 'add', attr: 'tat#b', value: 7 },
        { op: 'set', attr: 'tat#c', value: 8 },
      ],
      expiresAtSec: 100,
    })
    expect(parts).toEqual({
      ConditionExpression:
        '(attribute_not_exists(#a0) OR #a0 <= :v0) AND attribute_not_exists(#a1) AND (#a2 >= :v1 AND #a2 <= :v2) AND (attribute_not_exists(#a3) OR #a3 < :v3)',
      UpdateExpression: 'SET #a4 = :v4, #a3 = :v7 ADD #a0 :v5, #a2 :v6 REMOVE #a5',
      ExpressionAttributeNames: {
        '#a0': 'c#m#5',
        '#a1': 'c#m#6',
        '#a2': 'tat#b',
        '#a3': 'tat#c',
        '#a4': 'expiresAt',
        '#a5': 'c#m#3',
      },
      ExpressionAttributeValues: {
        ':v0': 9,
        ':v1': 1,
        ':v2': 2,
        ':v3': 3,
        ':v4': 100,
        ':v5': 1,
        ':v6': 7,
        ':v7': 8,
      },
    })
  })

  it('reads limit attributes from plain or marshalled items and ignores everything else', () => {
    expect(
      snapshotOf({
        pk: 'x',
        expiresAt: 5,
        'c#a#1': 2,
        'tat#b': { N: '7' },
        'c#bad#1': { S: 'x' },
        'c#n#1': null,
      }),
    ).toEqual({
      'c#a#1': 2,
      'tat#b': 7,
    })
    expect(snapshotOf(undefined)).toEqual({})
  })
})

describe('properties (fast-check, memory store, injected clock)', () => {
  const steps = fc.array(
    fc.record({ advanceMs: fc.integer({ min: 0, max: 3_000 }), cost: fc.integer({ min: 1, max: 4 }) }),
    {
      minLength: 1,
      maxLength: 120,
    },
  )

  it('fixed and sliding windows never admit more than the limit in any fixed window', async () => {
    await fc.assert(
      fc.asyncProperty(
        steps,
        fc.constantFrom('fixed-window' as const, 'sliding-window' as const),
        async (sequence, algorithm) => {
          const store = memoryStore()
          const rules = resolved(rule('r', 7, 10, algorithm))
          const perWindow = new Map<number, number>()
          let now = T0
          for (const { advanceMs, cost } of sequence) {
            now += advanceMs
            if ((await consume(store, 'p', rules, now, cost)).allowed) {
              const index = Math.floor(now / 10_000)
              perWindow.set(index, (perWindow.get(index) ?? 0) + cost)
            }
          }
          for (const units of perWindow.values()) expect(units).toBeLessThanOrEqual(7)
        },
      ),
      { numRuns: 100 },
    )
  })

  it('the token bucket admits at most burst + elapsed/interval units between any two admitted requests', async () => {
    await fc.assert(
      fc.asyncProperty(steps, async (sequence) => {
        const store = memoryStore()
        const rules = resolved(rule('b', 5, 2, 'token-bucket')) // 400 ms per unit
        const admitted: { at: number; cost: number }[] = []
        let now = T0
        for (const { advanceMs, cost } of sequence) {
          now += advanceMs
          if ((await consume(store, 'p', rules, now, cost)).allowed) admitted.push({ at: now, cost })
        }
        for (let i = 0; i < admitted.length; i++) {
          let units = 0
          for (let j = i; j < admitted.length; j++) {
            units += admitted[j]!.cost
            expect(units).toBeLessThanOrEqual(5 + (admitted[j]!.at - admitted[i]!.at) / 400)
          }
        }
      }),
      { numRuns: 100 },
    )
  })

  it('the memory path and the DynamoDB write plan (interpreted) agree on every decision and state', async () => {
    const rulesArb = fc.constantFrom(
      resolved(rule('f', 5, 10, 'fixed-window')),
      resolved(rule('s', 6, 10, 'sliding-window'), rule('b', 3, 2, 'token-bucket')),
      resolved(
        rule('b', 4, 4, 'token-bucket'),
        rule('f', 9, 30, 'fixed-window'),
        rule('s', 7, 20, 'sliding-window'),
      ),
    )
    await fc.assert(
      fc.property(steps, rulesArb, (sequence, rules) => {
        const inMemory: MemoryState = new Map()
        let planned: Record<string, number> = {}
        let now = T0
        for (const { advanceMs, cost } of sequence) {
          now += advanceMs
          const decision = decide(planned, rules, cost, now)
          const local = consumeInMemory(inMemory, rules, cost, now)
          expect(local.allowed).toBe(decision.allowed)
          if (decision.allowed) {
            expect(clausesHold(planned, decision.plan.clauses)).toBe(true)
            planned = { ...applyUpdates(planned, decision.plan.updates) }
            expect(local.statuses).toEqual(statuses(planned, rules, now))
          } else {
            expect(local.denied).toEqual(decision.denied)
          }
          expect(memoryStateAttributes(inMemory)).toEqual(planned)
        }
      }),
      { numRuns: 100 },
    )
  })
})
