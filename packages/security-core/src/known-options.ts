/**
 * Throws a TypeError naming the first own key of `options` that is not in `known`, so that a misspelt
 * option (`role` for `roles`) fails at construction instead of silently turning a rule off. `path` prefixes
 * the name for nested option objects (`jwks.` gives `unknown option "jwks.timeout"`).
 *
 * @example
 * ```ts
 * import { assertKnownOptions } from '@lift/security-core'
 *
 * const NAMES = new Set(['limit', 'windowSec'])
 * assertKnownOptions('rateLimit', { limit: 10, windowSec: 60 }, NAMES) // passes
 * // assertKnownOptions('rateLimit', { limt: 10 }, NAMES) throws: rateLimit: unknown option "limt"
 * ```
 */
export function assertKnownOptions(
  owner: string,
  options: object,
  known: ReadonlySet<string> | Readonly<Record<string, unknown>>,
  path = '',
): void {
  const has =
    known instanceof Set ? (name: string) => known.has(name) : (name: string) => Object.hasOwn(known, name)
  for (const name of Object.keys(options)) {
    if (!has(name)) throw new TypeError(`${owner}: unknown option "${path}${name}"`)
  }
}
