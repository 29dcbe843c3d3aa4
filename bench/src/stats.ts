/** Small statistics helpers shared by the harness, the cold-start measurement and bench:check. */

/** The q-quantile (0..1) of `values`, nearest rank below; the input is not modified. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error('quantile of no values')
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(q * (sorted.length - 1))]!
}

/** The median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values')
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/**
 * Interquartile range / median: how far apart repeated medians of one case are, as a share of it. One
 * value has no spread to measure, so it counts as infinitely spread.
 */
export function relativeIqr(values: readonly number[]): number {
  if (values.length < 2) return Number.POSITIVE_INFINITY
  return (quantile(values, 0.75) - quantile(values, 0.25)) / median(values)
}
