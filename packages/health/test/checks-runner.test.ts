import { describe, expect, it } from '@jest/globals'
import { lambdaContext } from '@lift/testing'
import { type CheckContext, type HealthReport, runHealthChecks } from '../src/index'
import { manualClock } from './support/clock'
import { harness } from './support/harness'
import { expectHealthJson } from './support/health-schema'

/** Never settles on its own; resolves `aborted` with the abort reason's name when its signal fires. */
function hangingCheck() {
  let abortedWith: string | undefined
  const check = ({ signal }: CheckContext) =>
    new Promise<never>(() => {
      signal.addEventListener('abort', () => {
        abortedWith = (signal.reason as Error).name
      })
    })
  return { check, abortedWith: () => abortedWith }
}

async function fullReport(options: Parameters<typeof harness>[0], context = lambdaContext()) {
  const answer = await harness({ details: true, cacheTtlMs: 0, ...options }).request(
    { path: '/health' },
    context,
  )
  return { statusCode: answer.statusCode, report: expectHealthJson(answer.body) as unknown as HealthReport }
}

describe('running checks', () => {
  it('a hanging check fails with output "timeout" at its deadline, and its signal is aborted', async () => {
    const hanging = hangingCheck()
    const { statusCode, report } = await fullReport({
      checks: { 'upstream:responseTime': { check: hanging.check, timeoutMs: 20 } },
    })
    expect(statusCode).toBe(503)
    expect(report.checks['upstream:responseTime']).toEqual([
      { status: 'fail', time: expect.any(String), output: 'timeout' },
    ])
    expect(hanging.abortedWith()).toBe('TimeoutError')
  })

  it('uses the middleware timeoutMs for checks without their own', async () => {
    const { report } = await fullReport({
      timeoutMs: 10,
      checks: { 'slow:responseTime': hangingCheck().check },
    })
    expect(report.checks['slow:responseTime']![0]!.output).toBe('timeout')
  })

  it('ends the run before the Lambda invocation does (remaining time minus the safety margin)', async () => {
    // A check allowed 60 s cannot outlive an invocation with 320 ms left and a 300 ms margin.
    const { report } = await fullReport(
      {
        checks: { 'slow:responseTime': { check: hangingCheck().check, timeoutMs: 60_000 } },
        safetyMarginMs: 300,
      },
      lambdaContext({ timeoutMs: 320 }),
    )
    expect(report.checks['slow:responseTime']![0]!.output).toBe('timeout')
  })

  it('ends the run at reportTimeoutMs', async () => {
    const { report } = await fullReport({
      checks: { 'slow:responseTime': { check: hangingCheck().check, timeoutMs: 60_000 } },
      reportTimeoutMs: 15,
    })
    expect(report.checks['slow:responseTime']![0]!.output).toBe('timeout')
  })

  it('a check that throws is a fail with the first line of its message, never the stack', async () => {
    const { statusCode, report } = await fullReport({
      checks: {
        'db:responseTime': async () => {
          throw new Error('connect ECONNREFUSED 10.0.0.5:5432\n    at internal/frames.js:1:1')
        },
        'sync:responseTime': () => {
          throw 'plain string thrown'
        },
        'odd:responseTime': () => {
          throw { weird: true }
        },
      },
    })
    expect(statusCode).toBe(503)
    expect(report.checks['db:responseTime']![0]!.output).toBe('connect ECONNREFUSED 10.0.0.5:5432')
    expect(report.checks['sync:responseTime']![0]!.output).toBe('plain string thrown')
    expect(report.checks['odd:responseTime']![0]!.output).toBe('check failed')
    expect(JSON.stringify(report)).not.toContain(' at ')
  })

  it('a connection string in an error message never reaches the report with its password or query', async () => {
    const { report } = await fullReport({
      checks: {
        'cache:responseTime': async () => {
          throw new Error('connect ECONNREFUSED redis://default:s3cr3t-pw@10.0.0.5:6379')
        },
        'db:responseTime': async () => {
          throw new Error(
            'getaddrinfo ENOTFOUND postgres://app:pa55@word@db.internal:5432/orders?sslmode=require',
          )
        },
        'partner:responseTime': async () => {
          throw new Error(
            'Request cannot be constructed from a URL that includes credentials: https://ops:hunter2@partner.example/status#x',
          )
        },
        'api:responseTime': async () => ({
          status: 'fail',
          output: 'GET https://api.example/v1/ping?api_key=abcdef123456 failed',
        }),
      },
    })
    const outputs = Object.fromEntries(
      Object.entries(report.checks).map(([key, [entry]]) => [key, entry!.output]),
    )
    expect(outputs).toEqual({
      'cache:responseTime': 'connect ECONNREFUSED redis://10.0.0.5:6379',
      'db:responseTime': 'getaddrinfo ENOTFOUND postgres://db.internal:5432/orders',
      'partner:responseTime':
        'Request cannot be constructed from a URL that includes credentials: https://partner.example/status',
      'api:responseTime': 'GET https://api.example/v1/ping failed',
    })
    for (const secret of ['s3cr3t', 'pa55', 'hunter2', 'abcdef', 'sslmode'])
      expect(JSON.stringify(report)).not.toContain(secret)
  })

  it('a timeout beyond what a timer can wait (2^31 - 1 ms) is a long deadline, not one that fires at once', async () => {
    const report = await runHealthChecks(
      {
        'slow:responseTime': async () => {
          await new Promise((resolve) => setTimeout(resolve, 20))
          return { status: 'pass' }
        },
      },
      { timeoutMs: 3_000_000_000, reportTimeoutMs: 3_000_000_000 },
    )
    expect(report.status).toBe('pass')
    expect(report.checks['slow:responseTime']![0]!.output).toBeUndefined()
  })

  it('clips a long output to 200 characters', async () => {
    const { report } = await fullReport({
      checks: { 'db:responseTime': async () => ({ status: 'fail', output: 'x'.repeat(5000) }) },
    })
    expect(report.checks['db:responseTime']![0]!.output).toHaveLength(200)
  })

  it('a check that returns something that is not a check result is a fail', async () => {
    const { report } = await fullReport({
      checks: {
        'a:responseTime': async () => undefined as never,
        'b:responseTime': async () => ({ status: 'ok' }) as never,
        'c:responseTime': async () => ({ status: 'pass', observedValue: { nested: 1 } }) as never,
        'd:responseTime': async () => ({ status: 'pass', observedUnit: 5 }) as never,
        'e:responseTime': async () => ({ status: 'pass', output: 5 }) as never,
      },
    })
    for (const entries of Object.values(report.checks)) {
      expect(entries).toEqual([{ status: 'fail', time: expect.any(String), output: 'invalid check result' }])
    }
  })

  it('a critical failure fails the report (503); a non-critical failure only makes it warn (200)', async () => {
    const failing = async () => ({ status: 'fail' as const, output: 'down' })
    const pass = async () => ({ status: 'pass' as const })
    const critical = await fullReport({ checks: { 'db:responseTime': failing, 'x:responseTime': pass } })
    expect([critical.statusCode, critical.report.status]).toEqual([503, 'fail'])
    const nonCritical = await fullReport({
      checks: { 'cache:responseTime': { check: failing, critical: false }, 'x:responseTime': pass },
    })
    expect([nonCritical.statusCode, nonCritical.report.status]).toEqual([200, 'warn'])
    expect(nonCritical.report.checks['cache:responseTime']![0]!.status).toBe('fail')
  })

  it('a check that reports warn makes the report warn (200)', async () => {
    const { statusCode, report } = await fullReport({
      checks: {
        'disk:utilization': async () => ({ status: 'warn', observedValue: 81, observedUnit: 'percent' }),
      },
    })
    expect([statusCode, report.status]).toEqual([200, 'warn'])
  })

  it('a pass slower than warnAboveMs becomes warn; one at the threshold stays pass', async () => {
    const clock = manualClock()
    const taking = (ms: number) => async () => {
      clock.advance(ms)
      return { status: 'pass' as const }
    }
    const slow = await fullReport({
      now: clock.now,
      checks: { 'db:responseTime': { check: taking(251), warnAboveMs: 250 } },
    })
    expect(slow.report.status).toBe('warn')
    expect(slow.report.checks['db:responseTime']).toEqual([
      {
        observedValue: 251,
        observedUnit: 'ms',
        status: 'warn',
        time: new Date(clock.now()).toISOString(),
        output: 'response time 251 ms is above 250 ms',
      },
    ])
    const atThreshold = await fullReport({
      now: clock.now,
      checks: { 'db:responseTime': { check: taking(250), warnAboveMs: 250 } },
    })
    expect(atThreshold.report.status).toBe('pass')
  })

  it('runs the checks in parallel: every check has started before any finishes', async () => {
    const started: string[] = []
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const check = (name: string) => async () => {
      started.push(name)
      if (started.length === 3) release()
      await gate
      return { status: 'pass' as const }
    }
    const { report } = await fullReport({
      checks: { 'a:x': check('a'), 'b:x': check('b'), 'c:x': check('c') },
    })
    expect(started).toEqual(['a', 'b', 'c'])
    expect(report.status).toBe('pass')
  })
})
