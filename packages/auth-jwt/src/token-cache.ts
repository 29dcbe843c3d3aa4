import { type Principal, TtlLruCache } from '@lift/security-core'
import type { IssuerState } from './issuers'

export interface CachedVerdict {
  readonly principal: Principal
  readonly issuer: IssuerState
  /** The issuer key-set generation the signature was checked against. */
  readonly generation: number
  /** Epoch ms after which the verdict is void (the token's exp, or iat + maxTokenAgeSec). */
  readonly validUntilMs: number
}

export interface TokenCache {
  /** A still-valid verdict for exactly this token string, or undefined. */
  get(token: string, nowMs: number): CachedVerdict | undefined
  set(token: string, verdict: CachedVerdict, nowMs: number): void
}

/**
 * Verified tokens keyed by the whole token string, so two different tokens can never share an entry
 * (fast-jwt GHSA-rp9m-7r4c-75qg: colliding cache keys handed one token's claims to another). An entry
 * lives no longer than `maxTtlMs`, never past the token's validity, and is ignored once the issuer's key
 * set changed or needs re-checking.
 */
export function createTokenCache(maxEntries: number, maxTtlMs: number, now: () => number): TokenCache {
  const cache = new TtlLruCache<string, CachedVerdict>({ maxEntries, ttlMs: maxTtlMs, now })
  return {
    get(token, nowMs) {
      const verdict = cache.get(token)
      if (verdict === undefined) return undefined
      const keys = verdict.issuer.keys
      if (verdict.validUntilMs <= nowMs || verdict.generation !== keys.generation || !keys.fresh) {
        cache.delete(token)
        return undefined
      }
      return verdict
    },
    set(token, verdict, nowMs) {
      const ttlMs = Math.min(maxTtlMs, verdict.validUntilMs - nowMs)
      if (ttlMs > 0) cache.set(token, verdict, ttlMs)
    },
  }
}
