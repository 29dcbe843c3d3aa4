import type { Clause, Snapshot, Update } from '../../src/snapshot'

// A reference interpreter of write plans, with DynamoDB's semantics for the five clause kinds and for
// ADD / SET / REMOVE: the tests check every plan against it.

/** Whether every clause holds on the snapshot (DynamoDB evaluates the AND of the clauses). */
export function clausesHold(snapshot: Snapshot, clauses: readonly Clause[]): boolean {
  return clauses.every((clause) => {
    const value = snapshot[clause.attr]
    switch (clause.op) {
      case 'at-most':
        return value === undefined || value <= clause.value
      case 'absent':
        return value === undefined
      case 'between':
        return value !== undefined && value >= clause.min && value <= clause.max
      case 'above':
        return value !== undefined && value > clause.value
      default: // 'absent-or-below'
        return value === undefined || value < clause.value
    }
  })
}

/** The snapshot after the updates (what DynamoDB computes for ADD / SET / REMOVE). */
export function applyUpdates(snapshot: Snapshot, updates: readonly Update[]): Snapshot {
  const next: Record<string, number> = { ...snapshot }
  for (const update of updates) {
    if (update.op === 'add') next[update.attr] = (next[update.attr] ?? 0) + update.value
    else if (update.op === 'set') next[update.attr] = update.value
    else delete next[update.attr]
  }
  return next
}
