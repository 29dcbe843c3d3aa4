import type { ConsumeResult, RateLimitStore, ResolvedRule } from '../../src/index'

/** store.consume with a signal that never aborts. */
export function consume(
  store: RateLimitStore,
  key: string,
  rules: readonly ResolvedRule[],
  now: number,
  cost = 1,
): Promise<ConsumeResult> {
  return Promise.resolve(store.consume({ key, rules, cost, now, signal: new AbortController().signal }))
}

/** How many of `count` calls (all started at once) were admitted. */
export async function admittedOf(calls: Promise<ConsumeResult>[]): Promise<number> {
  return (await Promise.all(calls)).filter((result) => result.allowed).length
}
