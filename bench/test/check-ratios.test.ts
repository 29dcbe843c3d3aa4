import { describe, expect, it } from '@jest/globals'
import {
  type Budgets,
  caseKey,
  checkColdStart,
  checkRatios,
  confirmedFindings,
  ratioToBestPeer,
  recordBudgets,
  suitesToConfirm,
} from '../src/check-ratios'
import type { CaseResult, Role, SuiteResult } from '../src/harness'

function row(
  name: string,
  role: Role,
  ratios: { limit?: number; peers?: Record<string, number> } = {},
): CaseResult {
  return {
    group: 'RS256: distinct tokens',
    name,
    role,
    medianNs: 40_000,
    p99Ns: null,
    minNs: 39_000,
    callsPerSample: 64,
    samples: 100,
    opsPerSec: 25_000,
    spread: 0.02,
    ratioToBaseline: 4,
    ratioToLimit: ratios.limit ?? 1,
    ratioToPeers: ratios.peers ?? {},
  }
}

function suite(cases: CaseResult[], name = 'auth-jwt'): SuiteResult {
  return {
    name,
    description: '',
    node: 'v22.0.0',
    cpu: 'test',
    cores: 2,
    platform: 'linux',
    arch: 'x64',
    date: '2026-12-03T00:00:00.000Z',
    sampling: '',
    spreadBound: 0.05,
    load: { before: { loadavg1: 0, loadavg5: 0, cpus: 2 }, after: { loadavg1: 0, loadavg5: 0, cpus: 2 } },
    groups: [],
    cases,
  }
}

const LIFT = 'auth-jwt / RS256: distinct tokens / Lift jwtAuth'
const budgets = (ratioToLimit: Record<string, number>, extra: Partial<Budgets> = {}): Budgets => ({
  peerTolerance: 0.1,
  limitTolerance: 0.3,
  coldStartTolerance: 0.25,
  ratioToLimit,
  ...extra,
})

describe('ratioToBestPeer', () => {
  it('is the ratio to the fastest peer, i.e. the largest Lift/peer ratio', () => {
    expect(ratioToBestPeer({ ratioToPeers: { jose: 0.5, 'fast-jwt': 1.05, 'aws-jwt-verify': 0.9 } })).toEqual(
      {
        peer: 'fast-jwt',
        ratio: 1.05,
      },
    )
  })

  it('is undefined for a group without peers', () => {
    expect(ratioToBestPeer({ ratioToPeers: {} })).toBeUndefined()
  })
})

describe('checkRatios', () => {
  it('passes a Lift case within both budgets', () => {
    const results = [
      suite([
        row('limit: verify', 'limit'),
        row('Lift jwtAuth', 'lift', { limit: 1.3, peers: { jose: 0.6, 'fast-jwt': 1.08 } }),
      ]),
    ]
    expect(checkRatios(results, budgets({ [LIFT]: 1.2 }))).toEqual([])
  })

  it('fails a Lift case slower than its fastest peer by more than the tolerance', () => {
    const results = [
      suite([row('Lift jwtAuth', 'lift', { limit: 1.2, peers: { jose: 0.6, 'fast-jwt': 1.11 } })]),
    ]
    const findings = checkRatios(results, budgets({ [LIFT]: 1.2 }))
    expect(findings).toEqual([
      { key: LIFT, timing: 'peer', problem: expect.stringContaining('1.11× fast-jwt (allowed 1.10×') },
    ])
  })

  it('judges a known-slower case against its recorded ratio, not against 1', () => {
    const known = { [LIFT]: { ratio: 1.2, reason: 'fast-jwt skips the claim checks' } }
    const slower = (ratio: number) => [
      suite([row('Lift jwtAuth', 'lift', { limit: 1, peers: { 'fast-jwt': ratio } })]),
    ]
    expect(checkRatios(slower(1.3), budgets({ [LIFT]: 1 }, { slowerThanPeer: known }))).toEqual([])
    const findings = checkRatios(slower(1.4), budgets({ [LIFT]: 1 }, { slowerThanPeer: known }))
    expect(findings[0]!.problem).toContain('recorded 1.20×: fast-jwt skips the claim checks')
  })

  it('fails a Lift case further from the limit than its recorded ratio allows', () => {
    const results = [suite([row('Lift jwtAuth', 'lift', { limit: 1.57 })])]
    expect(checkRatios(results, budgets({ [LIFT]: 1.2 }))).toEqual([
      { key: LIFT, timing: 'limit', problem: '1.57× limit (recorded 1.20×, allowed 1.56×)' },
    ])
    expect(
      checkRatios([suite([row('Lift jwtAuth', 'lift', { limit: 1.55 })])], budgets({ [LIFT]: 1.2 })),
    ).toEqual([])
  })

  it('fails a Lift case with no recorded ratio, so a new case cannot slip in unbudgeted', () => {
    const findings = checkRatios([suite([row('Lift jwtAuth', 'lift')])], budgets({}))
    expect(findings).toEqual([{ key: LIFT, problem: expect.stringContaining('no recorded × limit ratio') }])
  })

  it('fails a recorded case that the run of its suite did not measure, and ignores suites not run', () => {
    const results = [suite([row('bare Middy handler', 'baseline')])]
    const findings = checkRatios(
      results,
      budgets({ [LIFT]: 1.2, 'health / GET /health / Lift healthCheck': 1 }),
    )
    expect(findings).toEqual([{ key: LIFT, problem: expect.stringContaining('not measured') }])
  })

  it('never judges baselines, limits or peers', () => {
    const results = [
      suite([
        row('bare Middy handler', 'baseline', { limit: 9 }),
        row('limit: verify', 'limit'),
        row('jose', 'peer', { limit: 9, peers: { other: 9 } }),
      ]),
    ]
    expect(checkRatios(results, budgets({}))).toEqual([])
  })
})

describe('recordBudgets', () => {
  it('records every Lift case’s × limit, rounded, and keeps the tolerances and notes', () => {
    const previous = budgets({ stale: 2 }, { slowerThanPeer: { [LIFT]: { ratio: 1.1, reason: 'x' } } })
    const recorded = recordBudgets(
      [suite([row('limit', 'limit'), row('Lift jwtAuth', 'lift', { limit: 1.23456 })])],
      previous,
    )
    expect(recorded).toEqual({ ...previous, ratioToLimit: { [LIFT]: 1.235 } })
  })

  it('keys cases by suite, group and name', () => {
    expect(caseKey('health', { group: 'GET /health', name: 'Lift' })).toBe('health / GET /health / Lift')
  })
})

describe('checkColdStart', () => {
  const coldRow = (name: string, medianMs: number | undefined, relatesTo = '@lift/auth-jwt') => ({
    package: name,
    version: '1',
    importMs: 50,
    relatesTo,
    wallDeltaMs: 60,
    bundleBytes: 1,
    gzipBytes: 1,
    builtins: [],
    external: [],
    ...(medianMs === undefined ? {} : { bundleImportMs: { min: medianMs, median: medianMs, max: medianMs } }),
  })
  const peers = [coldRow('peer handler: aws-jwt-verify', 10), coldRow('peer handler: jose', 30)]

  it('passes a handler within the tolerance of the fastest peer handler of its package', () => {
    const packages = [coldRow('handler: jwtAuth HMAC', 12.5), ...peers, coldRow('peer: jose', 1)]
    expect(checkColdStart({ packages }, budgets({}))).toEqual([])
  })

  it('fails a handler slower than the fastest peer handler allows, naming both times', () => {
    const findings = checkColdStart(
      { packages: [coldRow('handler: jwtAuth HMAC', 12.6), ...peers] },
      budgets({}),
    )
    expect(findings).toEqual([
      {
        key: 'cold-start / handler: jwtAuth HMAC',
        timing: 'bundle import',
        problem: 'bundle import 12.6 ms = 1.26× peer handler: aws-jwt-verify (10.0 ms; allowed 1.25×)',
      },
    ])
  })

  it('compares only with peer handlers of the same package, and reports a handler without any', () => {
    const packages = [
      coldRow('handler: rateLimit', 12, '@lift/rate-limit'),
      coldRow('handler: jwtAuth JWKS', undefined),
      ...peers,
    ]
    expect(checkColdStart({ packages }, budgets({})).map((finding) => finding.key)).toEqual([
      'cold-start / handler: rateLimit',
      'cold-start / handler: jwtAuth JWKS',
    ])
  })
})

describe('confirmedFindings and suitesToConfirm (a timing finding must repeat in a rerun)', () => {
  const slow = {
    key: 'observability / one log line / Lift observability()',
    problem: '1.12× Powertools',
    timing: 'peer',
  } as const
  const coldStart = {
    key: 'cold-start / handler: jwtAuth',
    problem: 'bundle import 20 ms',
    timing: 'bundle import',
  } as const
  const unbudgeted = { key: 'auth-jwt / RS256 / new case', problem: 'no recorded × limit ratio' }

  it('reruns the suites of timing findings only, each once', () => {
    expect(
      suitesToConfirm([slow, { ...slow, key: 'observability / other / case' }, coldStart, unbudgeted]),
    ).toEqual(['cold-start', 'observability'])
    expect(suitesToConfirm([unbudgeted])).toEqual([])
  })

  it('keeps a timing finding the rerun repeats, with both measurements', () => {
    const [confirmed] = confirmedFindings([slow], [{ ...slow, problem: '1.15× Powertools' }])
    expect(confirmed).toEqual({ ...slow, problem: '1.12× Powertools; rerun: 1.15× Powertools' })
  })

  it('drops a timing finding the rerun does not repeat: one noisy pass is not a regression', () => {
    expect(confirmedFindings([slow, coldStart], [coldStart])).toEqual([
      { ...coldStart, problem: 'bundle import 20 ms; rerun: bundle import 20 ms' },
    ])
  })

  it('matches the same ratio: a rerun over its limit budget does not confirm a peer finding', () => {
    const limit = { ...slow, problem: '5.11× limit', timing: 'limit' } as const
    expect(confirmedFindings([slow, limit], [limit])).toEqual([
      { ...limit, problem: '5.11× limit; rerun: 5.11× limit' },
    ])
  })

  it('keeps a missing-budget finding without a rerun: it is not noise', () => {
    expect(confirmedFindings([unbudgeted], [])).toEqual([unbudgeted])
  })

  it('marks the timing findings of checkRatios and checkColdStart, and only those', () => {
    const budgets: Budgets = {
      peerTolerance: 0.1,
      limitTolerance: 0.3,
      coldStartTolerance: 0.25,
      ratioToLimit: {},
    }
    const findings = checkRatios([suite([row('Lift', 'lift', { peers: { fast: 2 } })])], budgets)
    expect(findings.map((finding) => finding.timing)).toEqual(['peer', undefined])
  })
})
