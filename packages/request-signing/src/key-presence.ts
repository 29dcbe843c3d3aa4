// A key or secret that is not there (an unset environment variable, a missing secret field) is a
// configuration error named after the option that holds it, found when the middleware or signer is built.
// The messages say what kind of value arrived, never the value.

const HINT = 'an unset environment variable reads as undefined'

/** Why `value` cannot be a key at all, or undefined when it may be one (its fit with the algorithm is checked later). */
function missing(value: unknown): string | undefined {
  if (value === undefined) return 'is undefined'
  if (value === null) return 'is null'
  if (typeof value === 'string') return value === '' ? 'is an empty string' : undefined
  if (value instanceof Uint8Array) return value.byteLength === 0 ? 'is empty (0 bytes)' : undefined
  if (typeof value === 'object') return undefined
  return `is a ${typeof value}, not a key`
}

/**
 * Throws a TypeError `<where> is undefined — set it to <want> (…)` when `value` cannot be a key. `where`
 * names the factory and the option, e.g. `verifySignature: keys["svc-a"].key` or `signWebhook: secret[1]`.
 */
export function assertKeyPresent(value: unknown, where: string, want: string): void {
  const problem = missing(value)
  if (problem !== undefined) throw new TypeError(`${where} ${problem} — set it to ${want}; ${HINT}`)
}
