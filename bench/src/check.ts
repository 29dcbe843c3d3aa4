// `pnpm bench:check`: a quick run of every bench file (LIFT_BENCH_QUICK=1, results in a scratch folder, the
// committed results and docs untouched) and of the handlers' cold start, then the ratio checks of
// check-ratios.ts against bench/check-budgets.json. Ratios only, never absolute times. `--record` instead
// runs the same quick passes and takes their × limit ratios into check-budgets.json: a budget is compared with
// a measurement made the same way (a quick pass puts some cases further from their limit than a full run).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchFiles, runBenchFile } from './bench-files'
import {
  type Budgets,
  checkColdStart,
  checkRatios,
  confirmedFindings,
  type Finding,
  recordBudgets,
  suitesToConfirm,
} from './check-ratios'
import { measureColdStart } from './cold-start'
import type { SuiteResult } from './harness'

const budgetsPath = join(dirname(fileURLToPath(import.meta.url)), '..', 'check-budgets.json')

function readSuites(dir: string): SuiteResult[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as SuiteResult)
    .filter((result) => Array.isArray(result.cases))
}

const budgets = JSON.parse(readFileSync(budgetsPath, 'utf8')) as Budgets

const started = Date.now()
const scratch = mkdtempSync(join(tmpdir(), 'lift-bench-check-'))
const coldStartHandlers = { only: (name: string) => name.includes('handler: ') }

/** Runs the named suites (all when `names` is undefined) in quick mode into `dir`; the cold start too if named. */
async function measure(dir: string, names?: readonly string[]): Promise<Finding[]> {
  const wanted = (name: string) => names === undefined || names.includes(name)
  const failed = benchFiles()
    .filter((entry) => wanted(entry.name))
    .map((entry) => runBenchFile(entry, { LIFT_BENCH_QUICK: '1', LIFT_BENCH_RESULTS: dir }))
    .filter((failure) => failure !== undefined)
  if (failed.length > 0) {
    console.error(`\nbench:check: bench files failed: ${failed.join(', ')}`)
    process.exit(1)
  }
  // Cold start: the auth-jwt handlers' esbuild bundles against the peer handlers', 15 fresh processes each.
  const coldStart = wanted('cold-start')
    ? checkColdStart(await measureColdStart(coldStartHandlers), budgets)
    : []
  return [...checkRatios(readSuites(dir), budgets), ...coldStart]
}

/** The quick passes of every bench file (no cold start), their × limit ratios written as the new budgets. */
async function record(): Promise<void> {
  await measure(
    scratch,
    benchFiles().map((entry) => entry.name),
  )
  writeFileSync(budgetsPath, `${JSON.stringify(recordBudgets(readSuites(scratch), budgets), null, 2)}\n`)
  console.log(`\nrecorded the × limit ratios of a quick run into ${budgetsPath}`)
}

async function check(): Promise<void> {
  let findings = await measure(scratch)
  const again = suitesToConfirm(findings)
  if (again.length > 0) {
    // One slow quick pass on a shared machine is not a regression: a timing finding must repeat to count.
    console.log(`\nbench:check: measuring ${again.join(', ')} again to confirm ${findings.length} finding(s)`)
    const rerun = mkdtempSync(join(tmpdir(), 'lift-bench-check-rerun-'))
    try {
      findings = confirmedFindings(findings, await measure(rerun, again))
    } finally {
      rmSync(rerun, { recursive: true, force: true })
    }
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(0)
  if (findings.length > 0) {
    console.error(`\nbench:check failed (${seconds} s):`)
    for (const finding of findings) console.error(`  ${finding.key}: ${finding.problem}`)
    process.exitCode = 1
    return
  }
  console.log(
    `\nbench:check passed in ${seconds} s (peer tolerance ${budgets.peerTolerance * 100} %, ` +
      `limit tolerance ${budgets.limitTolerance * 100} %)`,
  )
}

try {
  await (process.argv.includes('--record') ? record() : check())
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
