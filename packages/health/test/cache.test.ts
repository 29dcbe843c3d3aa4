import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { lambdaContext } from '@lift/testing'
import { httpCheck } from '../src/index'
import { manualClock } from './support/clock'
import { harness, healthEvents } from './support/harness'
import { type HttpTargets, startHttpTargets } from './support/http-targets'

let targets: HttpTargets

beforeAll(async () => {
  targets = await startHttpTargets()
})

afterAll(async () => {
  await targets.close()
})

function countingCheck() {
  let calls = 0
  return {
    check: async () => {
      calls += 1
      return { status: 'pass' as const }
    },
    calls: () => calls,
  }
}

describe('report cache', () => {
  it('answers from the cache for cacheTtlMs, then runs the checks again', async () => {
    const clock = manualClock()
    const counter = countingCheck()
    const h = harness({ checks: { 'db:responseTime': counter.check }, cacheTtlMs: 10_000, now: clock.now })
    await h.request({ path: '/health' })
    clock.advance(9_999)
    await h.request({ path: '/health' })
    await h.request({ path: '/health/ready' })
    expect(counter.calls()).toBe(1)
    clock.advance(1)
    await h.request({ path: '/health' })
    expect(counter.calls()).toBe(2)
  })

  it('cacheTtlMs: 0 runs the checks for every request', async () => {
    const counter = countingCheck()
    const h = harness({ checks: { 'db:responseTime': counter.check }, cacheTtlMs: 0 })
    await h.request({ path: '/health' })
    await h.request({ path: '/health' })
    expect(counter.calls()).toBe(2)
  })

  it('caches a failing report too, so an outage is not hammered by probes', async () => {
    const clock = manualClock()
    let calls = 0
    const h = harness({
      checks: {
        'db:responseTime': async () => {
          calls += 1
          return { status: 'fail' as const }
        },
      },
      now: clock.now,
    })
    expect((await h.request({ path: '/health' })).statusCode).toBe(503)
    expect((await h.request({ path: '/health' })).statusCode).toBe(503)
    expect(calls).toBe(1)
  })

  it('single-flight: requests arriving while a run is in progress share it', async () => {
    let release!: () => void
    let calls = 0
    const h = harness({
      checks: {
        'db:responseTime': async () => {
          calls += 1
          await new Promise<void>((resolve) => {
            release = resolve
          })
          return { status: 'pass' as const }
        },
      },
      cacheTtlMs: 0,
    })
    const { result, events } = await healthEvents(async () => {
      const first = h.request({ path: '/health' })
      const second = h.request({ path: '/health/ready' })
      await new Promise((resolve) => setImmediate(resolve))
      release()
      return Promise.all([first, second])
    })
    expect(result.map((answer) => answer.statusCode)).toEqual([200, 200])
    expect(calls).toBe(1)
    expect(events.map((event) => event.detail?.cached)).toEqual([false, true])
  })

  it('a report cut short by one invocation’s deadline is not cached: the next invocation with time runs the checks again', async () => {
    let calls = 0
    const slow = async ({ signal }: { signal: AbortSignal }) => {
      calls += 1
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, 120)
        signal.addEventListener('abort', () => {
          clearTimeout(timer)
          reject(signal.reason)
        })
      })
      return { status: 'pass' as const }
    }
    const h = harness({
      checks: { 'db:responseTime': { check: slow, timeoutMs: 1000 } },
      safetyMarginMs: 100,
      cacheTtlMs: 60_000,
      details: true,
    })
    const { result, events } = await healthEvents(async () => {
      // 150 ms left minus the 100 ms margin: the check gets 50 ms of its 1000 and times out.
      const hurried = await h.request({ path: '/health' }, lambdaContext({ timeoutMs: 150 }))
      const unhurried = await h.request({ path: '/health' }, lambdaContext({ timeoutMs: 30_000 }))
      const again = await h.request({ path: '/health' }, lambdaContext({ timeoutMs: 30_000 }))
      return [hurried, unhurried, again]
    })
    expect(result.map((answer) => answer.statusCode)).toEqual([503, 200, 200])
    expect(JSON.parse(result[0]!.body).checks['db:responseTime'][0].output).toBe('timeout')
    expect(calls).toBe(2)
    expect(events.map((event) => event.detail?.cached)).toEqual([false, false, true])
  })

  it('a hurried invocation still takes a fresh full report from the cache, and does not join a full run in flight', async () => {
    let calls = 0
    let release!: () => void
    const h = harness({
      checks: {
        'db:responseTime': {
          timeoutMs: 1000,
          check: async ({ signal }) => {
            calls += 1
            if (calls === 1)
              await new Promise<void>((resolve) => {
                release = resolve
              })
            else if (signal.aborted === false) await new Promise((resolve) => setTimeout(resolve, 5))
            return { status: 'pass' as const }
          },
        },
      },
      safetyMarginMs: 100,
      cacheTtlMs: 60_000,
    })
    const full = h.request({ path: '/health' }, lambdaContext({ timeoutMs: 30_000 }))
    await new Promise((resolve) => setImmediate(resolve))
    // In flight: a hurried caller runs its own short run (it could not wait for the full one).
    expect((await h.request({ path: '/health' }, lambdaContext({ timeoutMs: 400 }))).statusCode).toBe(200)
    expect(calls).toBe(2)
    release()
    expect((await full).statusCode).toBe(200)
    // Cached: the full report answers a hurried caller without running anything.
    await h.request({ path: '/health' }, lambdaContext({ timeoutMs: 400 }))
    expect(calls).toBe(2)
  })

  it('a Lambda timeout shorter than reportTimeoutMs still caches when every check has its whole timeout', async () => {
    const counter = countingCheck()
    const h = harness({
      checks: { 'db:responseTime': { check: counter.check, timeoutMs: 500 } },
      reportTimeoutMs: 3000,
      safetyMarginMs: 500,
      cacheTtlMs: 60_000,
    })
    // 3 s function timeout: 2.5 s budget, under reportTimeoutMs but above the check's 500 ms.
    await h.request({ path: '/health' }, lambdaContext({ timeoutMs: 3000 }))
    await h.request({ path: '/health' }, lambdaContext({ timeoutMs: 3000 }))
    expect(counter.calls()).toBe(1)
  })

  it('100 concurrent health requests reach each dependency once', async () => {
    const counter = countingCheck()
    const h = harness({
      checks: [
        httpCheck({ url: `${targets.url}/ok`, name: 'upstream:responseTime' }),
        { name: 'db:responseTime', check: counter.check },
      ],
      cacheTtlMs: 30_000,
    })
    const answers = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        h.request({ path: i % 2 === 0 ? '/health' : '/health/ready' }, lambdaContext()),
      ),
    )
    expect(answers.every((answer) => answer.statusCode === 200)).toBe(true)
    expect(targets.count('/ok')).toBe(1)
    expect(counter.calls()).toBe(1)
    expect(h.handlerCalls).toBe(0)
  })
})
