import { isJwtAlgorithm, type JwtAlgorithm } from './algorithms'
import type { JsonObject } from './decode-token'
import { reject } from './rejection'

/**
 * Checks the JOSE header before any key is looked up and returns its algorithm. `none` (in any casing)
 * and anything outside the supported list are refused. `crit` is refused unless it only names `b64` with
 * `b64: true` (RFC 7797; the one extension jose understands, and a no-op for a JWT). `jku`, `x5u`, `jwk`
 * and `x5c` are never read: keys come from the issuer's configuration only.
 */
export function algorithmOf(header: JsonObject): JwtAlgorithm {
  const alg = header.alg
  if (typeof alg === 'string' && alg.toLowerCase() === 'none') reject('alg-none')
  if (!isJwtAlgorithm(alg)) reject('alg-unsupported')
  if (header.crit !== undefined && !critUnderstood(header.crit, header.b64)) reject('crit-unsupported')
  return alg
}

function critUnderstood(crit: unknown, b64: unknown): boolean {
  return Array.isArray(crit) && crit.length > 0 && crit.every((name) => name === 'b64') && b64 === true
}
