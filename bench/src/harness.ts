import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measure } from 'mitata'
import { type Machine, machine } from './machine'

/** One thing to time. `run` may return a promise (it is awaited); `check` sees one result before timing. */
export interface BenchCase {
  readonly name: string
  readonly run: () => unknown
  /** A peer library doing the same job: Lift cases in the group get a ratio to it. */
  readonly peer?: boolean
  readonly check?: (result: unknown) => void
}

/** Cases that do the same job, compared with one baseline (normally the bare Middy handler). */
export interface BenchGroup {
  readonly name: string
  readonly baseline: BenchCase
  readonly cases: readonly BenchCase[]
}

export interface BenchSuite {
  /** The results file name: results/<name>.json (one per package). */
  readonly name: string
  readonly description: string
  readonly groups: readonly BenchGroup[]
}

export interface CaseResult {
  group: string
  name: string
  role: 'baseline' | 'lift' | 'peer'
  medianNs: number
  p99Ns: number
  avgNs: number
  minNs: number
  maxNs: number
  samples: number
  opsPerSec: number
  /** median / baseline median (1 for the baseline itself). */
  ratioToBaseline: number
  /** median / peer median, per peer of the group (Lift cases only). */
  ratioToPeers: Record<string, number>
}

export interface SuiteResult extends Machine {
  name: string
  description: string
  date: string
  sampling: string
  cases: CaseResult[]
}

/**
 * A new event object per call, as the Lambda runtime hands each invocation a freshly parsed event. Built
 * like JSON.parse builds it (property by property, so its hidden class comes from cached transitions) and
 * not with a spread: V8 gives a spread copy a hidden class on which adding a field is not a cached
 * transition, so the private field that memoizes Lift's request view cost about 2 µs on a spread copy
 * against 0.1 to 0.4 µs on a parsed event. A shallow copy: nested objects are shared, and nothing in the
 * measured code writes to them.
 */
export function invocationEvent<T extends object>(event: T): T {
  return Object.assign({}, event)
}

export const resultsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results')

// Every sample is one call, so p99 is a per-call p99 (GC pauses included) and not the p99 of batch means.
// The cost: each sample also holds a timer read and an `await`, the same for the baseline and the cases.
// A group is measured in ROUNDS rounds (baseline, cases, baseline, cases, ...) and each case's samples
// are pooled, so a busy phase of the machine falls on the baseline and the cases alike. Many short rounds
// rather than a few long ones: on a shared machine, Lift against aws-jwt-verify (auth-jwt, first-seen RS256)
// ranged from 0.76 to 1.22 over five runs with 3 rounds of 0.15 s, and from 0.936 to 0.949 over three runs
// with 15 rounds of 30 ms.
const ROUNDS = 15
// min_samples keeps a slow case (milliseconds per call) at 60 samples per round, so the 2 + 2 samples
// mitata drops per round stay a small share of them.
const measureOptions = Object.freeze({
  batch_threshold: 0,
  min_cpu_time: 30e6,
  min_samples: 60,
  max_samples: 500_000,
})
// Every case runs for WARM_UP_MS before the first sample, so the JIT has settled (Middy's code included).
const WARM_UP_MS = 150
const SAMPLING =
  'one call per sample (mitata `measure`, batching off); per case 15 rounds of 30 ms (at least 60 calls), interleaved with ' +
  'the other cases of its group, after a 0.15 s warm-up; each round drops its 2 fastest and 2 slowest samples'

/** Measures every case of the suite, prints a summary, writes results/<name>.json and returns the result. */
export async function runSuite(suite: BenchSuite): Promise<SuiteResult> {
  const cases: CaseResult[] = []
  for (const group of suite.groups) {
    const members = [
      { benchCase: group.baseline, role: 'baseline' as const },
      ...group.cases.map((benchCase) => ({
        benchCase,
        role: benchCase.peer ? ('peer' as const) : ('lift' as const),
      })),
    ]
    for (const { benchCase } of members) {
      benchCase.check?.(await benchCase.run())
      await warmUp(benchCase.run)
    }
    let samples = members.map((): number[] => [])
    for (let round = 0; round < ROUNDS; round++) {
      const roundSamples: number[][] = []
      for (const { benchCase } of members) {
        roundSamples.push((await measure(benchCase.run, { ...measureOptions })).samples)
      }
      samples = samples.map((pooled, index) => pooled.concat(roundSamples[index]!))
    }
    const measured = members.map(({ benchCase, role }, index) => ({
      group: group.name,
      name: benchCase.name,
      role,
      ...statistics(samples[index]!),
    }))
    cases.push(...withRatios(measured))
  }
  const result: SuiteResult = {
    name: suite.name,
    description: suite.description,
    ...machine(),
    date: new Date().toISOString(),
    sampling: SAMPLING,
    cases,
  }
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, `${suite.name}.json`), `${JSON.stringify(result, null, 2)}\n`)
  printSummary(result)
  return result
}

type Measured = Omit<CaseResult, 'ratioToBaseline' | 'ratioToPeers'>
type Statistics = Pick<
  CaseResult,
  'medianNs' | 'p99Ns' | 'avgNs' | 'minNs' | 'maxNs' | 'samples' | 'opsPerSec'
>

function statistics(samples: number[]): Statistics {
  const sorted = samples.sort((a, b) => a - b)
  const at = (quantile: number) => sorted[Math.floor(quantile * (sorted.length - 1))]!
  const avgNs = sorted.reduce((sum, value) => sum + value, 0) / sorted.length
  return {
    medianNs: at(0.5),
    p99Ns: at(0.99),
    avgNs,
    minNs: sorted[0]!,
    maxNs: sorted[sorted.length - 1]!,
    samples: sorted.length,
    opsPerSec: 1e9 / avgNs,
  }
}

async function warmUp(run: () => unknown): Promise<void> {
  const until = performance.now() + WARM_UP_MS
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) await run()
  }
}

function withRatios(measured: readonly Measured[]): CaseResult[] {
  const baseline = measured[0]!
  const peers = measured.filter((entry) => entry.role === 'peer')
  return measured.map((entry) => ({
    ...entry,
    ratioToBaseline: entry.medianNs / baseline.medianNs,
    ratioToPeers:
      entry.role === 'lift'
        ? Object.fromEntries(peers.map((peer) => [peer.name, entry.medianNs / peer.medianNs]))
        : {},
  }))
}

function printSummary(result: SuiteResult): void {
  console.log(`\n${result.name} (${result.node}, ${result.cpu})`)
  for (const entry of result.cases) {
    console.log(
      `  ${`${entry.group} / ${entry.name}`.padEnd(60)} median ${formatNs(entry.medianNs).padStart(9)}` +
        `  p99 ${formatNs(entry.p99Ns).padStart(9)}  x${entry.ratioToBaseline.toFixed(2)}`,
    )
  }
}

/** 950 ns, 1.23 µs, 4.56 ms. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`
  return `${(ns / 1_000_000).toFixed(2)} ms`
}
