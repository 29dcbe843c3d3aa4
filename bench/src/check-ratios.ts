// The ratio logic of `pnpm bench:check`: pure functions over results files, unit-tested in test/.
import type { ColdStartResult } from './cold-start'
import type { CaseResult, SuiteResult } from './harness'

/** bench/check-budgets.json: the tolerances and the × limit ratio recorded for every Lift case. */
export interface Budgets {
  /** A Lift case fails when it is slower than its fastest peer by more than this share (0.1 = 10 %). */
  peerTolerance: number
  /** A Lift case fails when its × limit exceeds the recorded ratio by more than this share. */
  limitTolerance: number
  /** Recorded × limit per case key (`suite / group / case`), from a full `pnpm bench` run. */
  ratioToLimit: Record<string, number>
  /**
   * Lift cases known to be slower than a peer, with the Lift/peer ratio recorded and the reason: they fail
   * only when they get slower than that ratio allows (recorded × (1 + peerTolerance)).
   */
  slowerThanPeer?: Record<string, { ratio: number; reason: string }>
  /**
   * A Lift handler's bundle fails when its import (median, esbuild bundle, fresh process) takes longer than
   * the fastest peer handler's of the same package by more than this share.
   */
  coldStartTolerance: number
}

export interface Finding {
  key: string
  problem: string
  /**
   * Which measured ratio broke its budget (noise can do that): to the fastest peer, to the limit, or the bundle
   * import against the peer handlers. Absent when a budget is missing for a case, which no rerun changes.
   */
  timing?: 'peer' | 'limit' | 'bundle import'
}

export function caseKey(suite: string, entry: Pick<CaseResult, 'group' | 'name'>): string {
  return `${suite} / ${entry.group} / ${entry.name}`
}

/** Lift median / the fastest peer's median (the largest per-peer ratio), or undefined without peers. */
export function ratioToBestPeer(
  entry: Pick<CaseResult, 'ratioToPeers'>,
): { peer: string; ratio: number } | undefined {
  let best: { peer: string; ratio: number } | undefined
  for (const [peer, ratio] of Object.entries(entry.ratioToPeers)) {
    if (!best || ratio > best.ratio) best = { peer, ratio }
  }
  return best
}

/** Every Lift case that breaks a budget, and every recorded case the run did not measure. */
export function checkRatios(suites: readonly SuiteResult[], budgets: Budgets): Finding[] {
  const findings: Finding[] = []
  const measured = new Set<string>()
  for (const suite of suites) {
    for (const entry of suite.cases) {
      if (entry.role !== 'lift') continue
      const key = caseKey(suite.name, entry)
      measured.add(key)
      const best = ratioToBestPeer(entry)
      if (best) {
        const known = budgets.slowerThanPeer?.[key]
        const allowed = (known?.ratio ?? 1) * (1 + budgets.peerTolerance)
        if (best.ratio > allowed) {
          findings.push({
            key,
            timing: 'peer',
            problem:
              `${best.ratio.toFixed(2)}× ${best.peer} (allowed ${allowed.toFixed(2)}×` +
              `${known ? `, recorded ${known.ratio.toFixed(2)}×: ${known.reason}` : ''})`,
          })
        }
      }
      const recorded = budgets.ratioToLimit[key]
      if (recorded === undefined) {
        findings.push({
          key,
          problem: 'no recorded × limit ratio (run `pnpm bench`, then `pnpm bench:check --record`)',
        })
        continue
      }
      const allowed = recorded * (1 + budgets.limitTolerance)
      if (entry.ratioToLimit > allowed) {
        findings.push({
          key,
          timing: 'limit',
          problem: `${entry.ratioToLimit.toFixed(2)}× limit (recorded ${recorded.toFixed(2)}×, allowed ${allowed.toFixed(2)}×)`,
        })
      }
    }
  }
  const suitesRun = new Set(suites.map((suite) => suite.name))
  for (const key of Object.keys(budgets.ratioToLimit)) {
    if (suitesRun.has(key.split(' / ')[0]!) && !measured.has(key)) {
      findings.push({ key, problem: 'recorded but not measured (renamed or removed? record again)' })
    }
  }
  return findings
}

/** The suites (bench file names) whose cases have a timing finding: the ones worth measuring again. */
export function suitesToConfirm(findings: readonly Finding[]): string[] {
  return [...new Set(findings.filter(isTimingFinding).map((finding) => finding.key.split(' / ')[0]!))].sort()
}

/**
 * The findings of a first quick run that a second run of the same suites repeats. A timing finding that the
 * rerun does not repeat was noise (one slow pass on a shared machine) and is dropped; a finding that is not
 * about timing (no recorded ratio, a case not measured) stands without a rerun.
 */
export function confirmedFindings(first: readonly Finding[], rerun: readonly Finding[]): Finding[] {
  return first.flatMap((finding) => {
    if (!isTimingFinding(finding)) return [finding]
    const again = rerun.find((other) => other.key === finding.key && other.timing === finding.timing)
    return again ? [{ ...finding, problem: `${finding.problem}; rerun: ${again.problem}` }] : []
  })
}

function isTimingFinding(finding: Finding): boolean {
  return finding.timing !== undefined
}

/** Budgets with every Lift case's × limit taken from `suites` (a full run); tolerances and notes kept. */
export function recordBudgets(suites: readonly SuiteResult[], previous: Budgets): Budgets {
  const ratioToLimit: Record<string, number> = {}
  for (const suite of suites) {
    for (const entry of suite.cases) {
      if (entry.role === 'lift') ratioToLimit[caseKey(suite.name, entry)] = round(entry.ratioToLimit)
    }
  }
  return { ...previous, ratioToLimit }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}

/**
 * Every Lift handler row (`handler: …`) of a cold-start run whose bundle imports slower than the fastest
 * peer handler row (`peer handler: …`) of the same package allows; a handler without a peer row is a finding.
 */
export function checkColdStart(result: Pick<ColdStartResult, 'packages'>, budgets: Budgets): Finding[] {
  const findings: Finding[] = []
  const median = (row: ColdStartResult['packages'][number]) => row.bundleImportMs?.median
  for (const row of result.packages) {
    if (!row.package.startsWith('handler: ')) continue
    const key = `cold-start / ${row.package}`
    const peers = result.packages.filter(
      (peer) => peer.package.startsWith('peer handler: ') && peer.relatesTo === row.relatesTo,
    )
    let fastest: (typeof peers)[number] | undefined
    for (const peer of peers) {
      const time = median(peer)
      if (time !== undefined && (fastest === undefined || time < median(fastest)!)) fastest = peer
    }
    const own = median(row)
    const theirs = fastest === undefined ? undefined : median(fastest)
    if (own === undefined || theirs === undefined) {
      findings.push({ key, problem: 'no bundle import time for it or for a peer handler of its package' })
      continue
    }
    const allowed = 1 + budgets.coldStartTolerance
    if (own / theirs > allowed) {
      findings.push({
        key,
        timing: 'bundle import',
        problem:
          `bundle import ${own.toFixed(1)} ms = ${(own / theirs).toFixed(2)}× ${fastest!.package} ` +
          `(${theirs.toFixed(1)} ms; allowed ${allowed.toFixed(2)}×)`,
      })
    }
  }
  return findings
}
