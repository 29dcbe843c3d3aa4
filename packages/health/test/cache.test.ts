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
