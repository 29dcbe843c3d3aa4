import type { KeyObject } from 'node:crypto'
import type { JwtAlgorithm } from './algorithms'
import { validateClaims } from './claims'
import type { JwtAuthConfig } from './config'
import { type DecodedToken, decodeToken } from './decode-token'
import { algorithmOf } from './header-policy'
import { checkIssuerTemplate } from './issuer-template'
import type { IssuerState } from './issuers'
import type { KeySource } from './key-source'
import { reject } from './rejection'
import type { CachedVerdict } from './token-cache'
import { verifySignature } from './verify-signature'

/**
 * The full check of a token not seen before, in fail-closed order: size, shape, header (alg, crit), the
 * `iss` allow-list (before any key lookup or network call), the issuer's algorithms, its keys, the
 * signature (node:crypto), the claims, the principal. Throws TokenRejection; caches the verdict.
 * Synchronous when the issuer's keys are (static keys, secrets): no promise on that hot path.
 */
export function verifyToken(
  config: JwtAuthConfig,
  token: string,
  nowMs: number,
): CachedVerdict | Promise<CachedVerdict> {
  const decoded = decodeToken(token, config.maxTokenBytes)
  const alg = algorithmOf(decoded.header)
  const iss = decoded.payload.iss
  const found = typeof iss === 'string' ? config.findIssuer(iss, decoded.header) : undefined
  if (found instanceof Promise) {
    return found.then((issuer) => verifyWithIssuer(config, token, nowMs, decoded, alg, issuer))
  }
  return verifyWithIssuer(config, token, nowMs, decoded, alg, found)
}

function verifyWithIssuer(
  config: JwtAuthConfig,
  token: string,
  nowMs: number,
  decoded: DecodedToken,
  alg: JwtAlgorithm,
  issuer: IssuerState | undefined,
): CachedVerdict | Promise<CachedVerdict> {
  if (issuer === undefined) return reject('issuer-not-allowed')
  if (!issuer.algorithms.has(alg)) reject('alg-not-allowed')

  const before = issuer.keys.generation
  const keys = issuer.keys.keysFor(alg, decoded.header)
  if (Array.isArray(keys)) return conclude(config, token, nowMs, decoded, alg, issuer, keys, before)
  return (keys as Promise<readonly KeyObject[]>).then((keys) =>
    conclude(config, token, nowMs, decoded, alg, issuer, keys, before),
  )
}

function conclude(
  config: JwtAuthConfig,
  token: string,
  nowMs: number,
  decoded: DecodedToken,
  alg: JwtAlgorithm,
  issuer: IssuerState,
  keys: readonly KeyObject[],
  before: number,
): CachedVerdict | Promise<CachedVerdict> {
  // If the key set changed during the lookup, the keys may be the older ones: the verdict then carries the
  // older generation and is simply not reused. The first load of a key set has no older one.
  const after = issuer.keys.generation
  const generation = after === before || (before === 0 && after === 1) ? after : before
  if (keys.length === 0) reject('key-not-found')
  if (!anyKeyVerifies(alg, keys, decoded)) {
    if (issuer.keys.refetch === undefined) reject('signature-invalid')
    const again = issuer.keys.generation
    return verifyAfterRefetch(issuer.keys, alg, decoded).then(() => {
      const refetched = issuer.keys.generation
      return accept(config, token, nowMs, decoded, issuer, refetched === again + 1 ? refetched : again)
    })
  }
  return accept(config, token, nowMs, decoded, issuer, generation)
}

/**
 * A signer may sign with a key this verifier has not read yet (a Secrets Manager rotation): the source
 * re-reads once (rate-limited) and, if the keys changed, the token is checked again. A failing re-read keeps
 * the 401: the token matched none of the keys we have, and a 503 would let bad tokens report an outage.
 */
async function verifyAfterRefetch(
  source: KeySource,
  alg: JwtAlgorithm,
  decoded: DecodedToken,
): Promise<void> {
  let keys: readonly KeyObject[] = []
  try {
    if (await source.refetch!()) keys = await source.keysFor(alg, decoded.header)
  } catch {
    keys = []
  }
  if (!anyKeyVerifies(alg, keys, decoded)) reject('signature-invalid')
}

function accept(
  config: JwtAuthConfig,
  token: string,
  nowMs: number,
  decoded: DecodedToken,
  issuer: IssuerState,
  generation: number,
): CachedVerdict {
  validateClaims(decoded.header, decoded.payload, issuer.rules, Math.floor(nowMs / 1000))
  checkIssuerTemplate(issuer, decoded.payload)
  const principal = config.mapPrincipal(decoded.payload, issuer)
  const { exp, iat } = decoded.payload as { exp: number; iat?: number }
  const maxAge = issuer.rules.maxTokenAgeSec
  const validUntilMs = Math.min(
    exp * 1000,
    maxAge === undefined ? Number.POSITIVE_INFINITY : (iat! + maxAge) * 1000,
    issuer.resolvedUntilMs ?? Number.POSITIVE_INFINITY,
  )
  const verdict: CachedVerdict = { principal, issuer, generation, validUntilMs }
  config.cache?.set(token, verdict, nowMs)
  return verdict
}

function anyKeyVerifies(alg: JwtAlgorithm, keys: readonly KeyObject[], decoded: DecodedToken): boolean {
  for (const key of keys) {
    if (verifySignature(alg, key, decoded.signingInput, decoded.signature)) return true
  }
  return false
}
