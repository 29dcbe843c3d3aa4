/** A clock that moves only when told to: TTLs and observed durations without sleeping. */
export interface ManualClock {
  readonly now: () => number
  advance(ms: number): void
}

export const START = Date.UTC(2026, 0, 15, 12, 0, 0)

export function manualClock(start = START): ManualClock {
  let current = start
  return {
    now: () => current,
    advance(ms) {
      current += ms
    },
  }
}
