import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { measure } from 'mitata'
import { type Load, loadNow, type Machine, machine } from './machine'
import { median, quantile, relativeIqr } from './stats'

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
  /**
   * The physical floor of the job: the bare handler doing only the raw operation no implementation can skip
   * (node:crypto verify of the same token, one UpdateItem round trip, ...). Without one, the baseline is the
   * floor (nothing can answer with less than the bare handler).
   */
  readonly limit?: BenchCase
  readonly cases: readonly BenchCase[]
  /**
   * One call per sample, for a group whose per-call tail is the point (p99). Other groups are sampled in
   * batches, so the timer read and the `await` of the sampling loop are spread over many calls.
   */
  readonly perCall?: boolean
}

export interface BenchSuite {
  /** The results file name: results/<name>.json (one per package). */
  readonly name: string
  readonly description: string
  readonly groups: readonly BenchGroup[]
}

export type Role = 'baseline' | 'limit' | 'lift' | 'peer'

export interface CaseResult {
  group: string
  name: string
  role: Role
  /** Median over the passes of each pass's median time per call. */
  medianNs: number
  /** Per-call p99 (GC pauses included) of the pooled samples; null when samples were batches of calls. */
  p99Ns: number | null
  minNs: number
  /** Calls per sample: 1, or the batch size. */
  callsPerSample: number
  samples: number
  opsPerSec: number
  /** Interquartile range of the pass medians / their median. */
  spread: number
  /** median / baseline median, computed per pass and then the median taken. */
  ratioToBaseline: number
  /** median / limit median, per pass, median of the passes. */
  ratioToLimit: number
  /** median / peer median, per peer of the group (Lift cases only), per pass, median of the passes. */
  ratioToPeers: Record<string, number>
}

export interface GroupRun {
  group: string
  passes: number
  /** Largest spread of the members the bound applies to (all but the baseline when there is a limit). */
  spread: number
  /** Whether every member's spread came under the bound before the pass or time limit. */
  converged: boolean
  perCall: boolean
}

export interface SuiteResult extends Machine {
  name: string
  description: string
  date: string
  sampling: string
  spreadBound: number
  load: { before: Load; after: Load }
  groups: GroupRun[]
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

export const resultsDir =
  process.env.LIFT_BENCH_RESULTS ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'results')

/** `LIFT_BENCH_QUICK=1` (what `pnpm bench:check` sets): fewer, shorter passes. */
export const quick = process.env.LIFT_BENCH_QUICK === '1'

/**
 * How a group is measured. A pass measures every member once for `passMs` (interleaved: baseline, limit,
 * cases, in an order rotated each pass, so a busy phase of the machine falls on all of them). Passes repeat
 * until every member's spread (IQR / median of its pass medians) is at most SPREAD_BOUND, with at least
 * minPasses and at most maxPasses passes, and at most groupBudgetMs per group; a group that stops on a
 * limit is reported as not converged. Ratios are taken within each pass and then their median, so two
 * cases are always compared on the same stretch of machine time.
 */
export const SPREAD_BOUND = 0.05
const plan = quick
  ? { minPasses: 3, maxPasses: 6, passMs: 12, warmUpMs: 40, groupBudgetMs: 3_000 }
  : { minPasses: 5, maxPasses: 25, passMs: 25, warmUpMs: 150, groupBudgetMs: 15_000 }
// Calls per sample, fixed per case from its warm-up: enough calls that a sample lasts about SAMPLE_NS, so
// the sampling loop's timer read and `await` (50 ns to 1 µs on a busy machine) are a small share of it; at
// most MAX_BATCH. A case of SAMPLE_NS or more gets one call per sample. Fixed per case rather than left to
// mitata's per-measure choice, so a case near the threshold cannot flip between batched and per-call
// samples from one pass to the next.
const SAMPLE_NS = 100_000
const MAX_BATCH = 64
// gc: false: no forced full collection before every pass (mitata's default): on a batched 3 µs case it made
// pass medians bimodal (2.6 or 3.9 µs), since every pass then started on a freshly shrunk young generation.
// The group starts from one collection instead, and the cases collect garbage as they would in production.
function samplingOptions(callsPerSample: number) {
  const common = { gc: false as const, min_cpu_time: plan.passMs * 1e6, max_samples: 100_000 }
  return callsPerSample === 1
    ? { ...common, batch_threshold: 0, min_samples: 20 }
    : {
        ...common,
        batch_threshold: Number.POSITIVE_INFINITY,
        warmup_threshold: Number.POSITIVE_INFINITY,
        batch_samples: callsPerSample,
        batch_unroll: 1,
        min_samples: 8,
      }
}

const SAMPLING =
  `${quick ? 'quick mode (bench:check): ' : ''}mitata \`measure\`; a case under ${SAMPLE_NS / 1000} µs is sampled in ` +
  `batches of calls lasting about ${SAMPLE_NS / 1000} µs (at most ${MAX_BATCH} calls; per-call groups: one call per sample, ` +
  `p99 shown); passes of ${plan.passMs} ms per case, ` +
  `interleaved with the rest of the group in a rotating order, after a ${plan.warmUpMs} ms warm-up; ` +
  `${plan.minPasses} to ${plan.maxPasses} passes until the spread (IQR / median of the pass medians) of ` +
  `every case is ≤ ${SPREAD_BOUND * 100} %, at most ${plan.groupBudgetMs / 1000} s per group; figures are ` +
  'medians of the pass medians, ratios medians of per-pass ratios'

interface Member {
  benchCase: BenchCase
  role: Role
  medians: number[]
  samples: number[]
  sampleCount: number
  callsPerSample: number
}

/** Measures every case of the suite, prints a summary, writes results/<name>.json and returns the result. */
export async function runSuite(suite: BenchSuite): Promise<SuiteResult> {
  const before = loadNow()
  const cases: CaseResult[] = []
  const groups: GroupRun[] = []
  for (const group of suite.groups) {
    const { run, members } = await measureGroup(group)
    groups.push(run)
    cases.push(...summarize(group.name, members))
  }
  const result: SuiteResult = {
    name: suite.name,
    description: suite.description,
    ...machine(),
    date: new Date().toISOString(),
    sampling: SAMPLING,
    spreadBound: SPREAD_BOUND,
    load: { before, after: loadNow() },
    groups,
    cases,
  }
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, `${suite.name}.json`), `${JSON.stringify(result, null, 2)}\n`)
  printSummary(result)
  return result
}

async function measureGroup(group: BenchGroup): Promise<{ run: GroupRun; members: Member[] }> {
  const member = (benchCase: BenchCase, role: Role): Member => ({
    benchCase,
    role,
    medians: [],
    samples: [],
    sampleCount: 0,
    callsPerSample: 1,
  })
  const members = [
    member(group.baseline, 'baseline'),
    ...(group.limit ? [member(group.limit, 'limit')] : []),
    ...group.cases.map((benchCase) => member(benchCase, benchCase.peer ? 'peer' : 'lift')),
  ]
  ;(globalThis as { gc?: () => void }).gc?.()
  for (const entry of members) {
    entry.benchCase.check?.(await entry.benchCase.run())
    const callNs = await warmUp(entry.benchCase.run, plan.warmUpMs)
    entry.callsPerSample = group.perCall
      ? 1
      : Math.max(1, Math.min(MAX_BATCH, Math.round(SAMPLE_NS / callNs)))
  }
  // The bound applies to the limit and the cases. With a limit, the baseline is only a reference (and in a
  // per-call group of millisecond cases its microsecond, unbatched samples are mostly timer noise).
  const judged = group.limit ? members.filter((entry) => entry.role !== 'baseline') : members
  const started = performance.now()
  let passes = 0
  let spread = Number.POSITIVE_INFINITY
  while (passes < plan.maxPasses) {
    for (let offset = 0; offset < members.length; offset++) {
      const entry = members[(passes + offset) % members.length]!
      const stats = await measure(entry.benchCase.run, samplingOptions(entry.callsPerSample))
      entry.medians.push(stats.p50)
      entry.sampleCount += stats.samples.length
      if (entry.callsPerSample === 1) entry.samples.push(...stats.samples)
    }
    passes++
    spread = Math.max(...judged.map((entry) => relativeIqr(entry.medians)))
    if (passes >= plan.minPasses && spread <= SPREAD_BOUND) break
    if (passes >= plan.minPasses && performance.now() - started > plan.groupBudgetMs) break
  }
  return {
    run: {
      group: group.name,
      passes,
      spread,
      converged: spread <= SPREAD_BOUND,
      perCall: group.perCall === true,
    },
    members,
  }
}

/** Runs `run` for `ms` and returns its mean time per call (ns) over the second half of the warm-up. */
async function warmUp(run: () => unknown, ms: number): Promise<number> {
  const start = performance.now()
  const half = start + ms / 2
  const until = start + ms
  let calls = 0
  let timedFrom = Number.NaN
  for (let now = start; now < until; now = performance.now()) {
    if (now >= half && Number.isNaN(timedFrom)) {
      timedFrom = now
      calls = 0
    }
    await run()
    calls++
  }
  return Number.isNaN(timedFrom) || calls === 0 ? SAMPLE_NS : ((until - timedFrom) * 1e6) / calls
}

/** Per-pass ratio of `a` to `b`, median over the passes. */
function passRatio(a: Member, b: Member): number {
  return median(a.medians.map((value, pass) => value / b.medians[pass]!))
}

function summarize(group: string, members: readonly Member[]): CaseResult[] {
  const baseline = members[0]!
  const limit = members.find((entry) => entry.role === 'limit') ?? baseline
  const peers = members.filter((entry) => entry.role === 'peer')
  return members.map((entry) => {
    const medianNs = median(entry.medians)
    const perCallSamples = entry.callsPerSample === 1 && entry.samples.length > 0
    return {
      group,
      name: entry.benchCase.name,
      role: entry.role,
      medianNs,
      p99Ns: perCallSamples ? quantile(entry.samples, 0.99) : null,
      minNs: Math.min(...entry.medians),
      callsPerSample: entry.callsPerSample,
      samples: entry.sampleCount,
      opsPerSec: 1e9 / medianNs,
      spread: relativeIqr(entry.medians),
      ratioToBaseline: passRatio(entry, baseline),
      ratioToLimit: passRatio(entry, limit),
      ratioToPeers:
        entry.role === 'lift'
          ? Object.fromEntries(peers.map((peer) => [peer.benchCase.name, passRatio(entry, peer)]))
          : {},
    }
  })
}

function printSummary(result: SuiteResult): void {
  const { before, after } = result.load
  console.log(
    `\n${result.name} (${result.node}, ${result.cpu}, ${result.cores} cores; load ${before.loadavg1.toFixed(2)} -> ${after.loadavg1.toFixed(2)})`,
  )
  for (const run of result.groups) {
    console.log(
      `  [${run.group}] ${run.passes} passes, spread ${(run.spread * 100).toFixed(1)} %${run.converged ? '' : ' (NOT under the bound)'}`,
    )
    for (const entry of result.cases.filter((c) => c.group === run.group)) {
      console.log(
        `    ${entry.name.padEnd(64)} ${formatNs(entry.medianNs).padStart(9)}  ×limit ${entry.ratioToLimit.toFixed(2)}` +
          Object.entries(entry.ratioToPeers)
            .map(([peer, ratio]) => `  ${ratio.toFixed(2)}× ${peer}`)
            .join(''),
      )
    }
  }
}

/** 950 ns, 1.23 µs, 4.56 ms. */
export function formatNs(ns: number): string {
  if (ns < 1_000) return `${ns.toFixed(0)} ns`
  if (ns < 1_000_000) return `${(ns / 1_000).toFixed(2)} µs`
  return `${(ns / 1_000_000).toFixed(2)} ms`
}
