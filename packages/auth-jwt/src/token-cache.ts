import { type Principal, TtlLruCache } from '@lift/security-core'
import type { IssuerState } from './issuers'

export interface CachedVerdict {
  readonly principal: Principal
  readonly issuer: IssuerState
  /** The issuer key-set generation the signature was checked against. */
  readonly generation: number
  /** Epoch ms after which the verdict is void: the token's exp, iat + maxTokenAgeSec, a resolver answer's end. */
  readonly validUntilMs: number
}

export interface TokenCache {
  /** A still-valid verdict for exactly this token string, or undefined. */
  get(token: string, nowMs: number): CachedVerdict | undefined
  set(token: string, verdict: CachedVerdict, nowMs: number): void
}

interface Entry {
  readonly token: string
  readonly verdict: CachedVerdict
}

/**
 * Characters of the token's end used as the cache key. A token arrives as a new string on every request,
 * so a Map lookup hashes its key anew: the whole token (500 to 1,500 characters) costs about 1 µs, its
 * last 32 characters (24 bytes of signature) almost nothing.
 */
const KEY_CHARS = 32

/**
 * Verified tokens, each entry holding its whole token string and used only when the presented token is
 * equal to it, so two different tokens can never share an entry (fast-jwt GHSA-rp9m-7r4c-75qg: colliding
 * cache keys handed one token's claims to another); tokens sharing a key only replace each other. An entry
 * lives no longer than `maxTtlMs`, never past the token's validity, and is ignored once the issuer's key
 * set changed or needs re-checking.
 */
export function createTokenCache(maxEntries: number, maxTtlMs: number, now: () => number): TokenCache {
  const cache = new TtlLruCache<string, Entry>({ maxEntries, ttlMs: maxTtlMs, now })
  const keyOf = (token: string) => (token.length > KEY_CHARS ? token.slice(-KEY_CHARS) : token)
  return {
    get(token, nowMs) {
      const key = keyOf(token)
      const entry = cache.get(key)
      if (entry === undefined || entry.token !== token) return undefined
      const { verdict } = entry
      const keys = verdict.issuer.keys
      if (verdict.validUntilMs <= nowMs || verdict.generation !== keys.generation || !keys.fresh) {
        cache.delete(key)
        return undefined
      }
      return verdict
    },
    set(token, verdict, nowMs) {
      const ttlMs = Math.min(maxTtlMs, verdict.validUntilMs - nowMs)
      if (ttlMs > 0) cache.set(keyOf(token), { token, verdict }, ttlMs)
    },
  }
}
