import type { KeyObject } from 'node:crypto'
import type { JwtAlgorithm } from './algorithms'
import type { JsonObject } from './decode-token'

/** Where an issuer's verification keys come from (static keys, a secret, Secrets Manager, a JWKS URL). */
export interface KeySource {
  /** The keys that may verify this token, each already checked to fit `alg`; throws TokenRejection. */
  keysFor(alg: JwtAlgorithm, header: JsonObject): readonly KeyObject[] | Promise<readonly KeyObject[]>
  /** Changes whenever the key set changes: cached verdicts from an older generation are dropped. */
  readonly generation: number
  /** False while cached verdicts must be re-checked against the source (a JWKS past its cache age). */
  readonly fresh: boolean
  /**
   * After a signature matched none of the keys: re-reads them bypassing the cache (rate-limited by the
   * source); true when they changed, so the token is checked again. Sources that know a miss early omit it.
   */
  refetch?(): Promise<boolean>
}
