/** The stored state of one key: attribute name → number (`c#<limit>#<window>` counters, `tat#<limit>`). */
export type Snapshot = Readonly<Record<string, number>>

/** A condition on one attribute; a store applies an update only when every clause holds (atomically). */
export type Clause =
  /** the attribute is absent, or <= value */
  | { readonly op: 'at-most'; readonly attr: string; readonly value: number }
  /** the attribute is absent */
  | { readonly op: 'absent'; readonly attr: string }
  /** the attribute exists and min <= it <= max */
  | { readonly op: 'between'; readonly attr: string; readonly min: number; readonly max: number }
  /** the attribute is absent, or < value */
  | { readonly op: 'absent-or-below'; readonly attr: string; readonly value: number }
  /** the attribute exists and > value */
  | { readonly op: 'above'; readonly attr: string; readonly value: number }

export type Update =
  | { readonly op: 'add'; readonly attr: string; readonly value: number }
  | { readonly op: 'set'; readonly attr: string; readonly value: number }
  | { readonly op: 'remove'; readonly attr: string }

/** What one admitted request writes: all clauses must hold, then all updates apply, as one atomic step. */
export interface WritePlan {
  readonly clauses: readonly Clause[]
  readonly updates: readonly Update[]
  /** Epoch seconds after which the whole item may be deleted (DynamoDB TTL attribute `expiresAt`). */
  readonly expiresAtSec: number
}
