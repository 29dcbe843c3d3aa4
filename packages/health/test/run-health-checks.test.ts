import { describe, expect, it } from '@jest/globals'
import { lambdaContext } from '@lift/testing'
import { runHealthChecks } from '../src/index'
import { manualClock } from './support/clock'
import { healthEvents } from './support/harness'
import { expectHealthJson } from './support/health-schema'

const pass = async () => ({ status: 'pass' as const })

describe('runHealthChecks() for scheduled runs', () => {
  it('returns the full report, with outputs, and publishes a schedule event', async () => {
    const clock = manualClock()
    const { result, events } = await healthEvents(() =>
      runHealthChecks(
        {
          'db:responseTime': pass,
          'cache:responseTime': {
            check: async () => ({ status: 'fail', output: 'evicted' }),
            critical: false,
          },
        },
        {
          now: clock.now,
          serviceId: 'orders-api',
          version: '1.0.0',
          context: lambdaContext({ awsRequestId: 'scheduled-1' }),
        },
      ),
    )
    expect(expectHealthJson(JSON.stringify(result))).toEqual({
      status: 'warn',
      serviceId: 'orders-api',
      version: '1.0.0',
      checks: {
        'db:responseTime': [
          { observedValue: 0, observedUnit: 'ms', status: 'pass', time: new Date(clock.now()).toISOString() },
        ],
        'cache:responseTime': [
          {
            observedValue: 0,
            observedUnit: 'ms',
            status: 'fail',
            time: new Date(clock.now()).toISOString(),
            output: 'evicted',
          },
        ],
      },
    })
    expect(events).toEqual([
      {
        type: 'health',
        outcome: 'allow',
        reason: 'warn',
        requestId: 'scheduled-1',
        at: clock.now(),
        detail: { source: 'schedule', cached: false, details: true, failing: ['cache:responseTime'] },
      },
    ])
  })

  it('publishes deny for a failing report and omits requestId without a context', async () => {
    const { events } = await healthEvents(() =>
      runHealthChecks([{ name: 'db:responseTime', check: async () => ({ status: 'fail' }) }]),
    )
    expect(events).toEqual([expect.objectContaining({ outcome: 'deny', reason: 'fail' })])
    expect(events[0]).not.toHaveProperty('requestId')
  })

  it('never caches: each run calls the checks again', async () => {
    let calls = 0
    const checks = {
      'db:responseTime': async () => {
        calls += 1
        return { status: 'pass' as const }
      },
    }
    await runHealthChecks(checks)
    await runHealthChecks(checks)
    expect(calls).toBe(2)
  })

  it('bounds the run by the invocation’s remaining time', async () => {
    const report = await runHealthChecks(
      { 'slow:responseTime': { check: () => new Promise<never>(() => undefined), timeoutMs: 60_000 } },
      { context: lambdaContext({ timeoutMs: 520 }), safetyMarginMs: 500 },
    )
    expect(report.checks['slow:responseTime']![0]!.output).toBe('timeout')
  })

  it('validates its options', async () => {
    await expect(runHealthChecks({}, null as never)).rejects.toThrow(/options must be an object/)
    await expect(runHealthChecks({}, { cacheTtlMs: 5 } as never)).rejects.toThrow(
      /unknown option "cacheTtlMs"/,
    )
    await expect(runHealthChecks({}, { now: 'x' as never })).rejects.toThrow(/now must be a function/)
    await expect(runHealthChecks({}, { timeoutMs: -1 })).rejects.toThrow(/timeoutMs/)
    await expect(runHealthChecks({}, { version: '' })).rejects.toThrow(/version must be a non-empty string/)
    await expect(runHealthChecks([{ check: pass }] as never)).rejects.toThrow(/needs a name/)
  })
})
