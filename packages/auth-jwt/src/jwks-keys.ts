import { KeyObject } from 'node:crypto'
import { publishSecurityEvent } from '@lift/security-core'
import { type CryptoKey, createLocalJWKSet, errors, type JSONWebKeySet } from 'jose'
import { type JwtAlgorithm, keyFitsAlgorithm } from './algorithms'
import type { JsonObject } from './decode-token'
import { fetchKeySet, JwksUnavailableError } from './jwks-fetch'
import type { KeySource } from './key-source'
import { reject } from './rejection'

export interface JwksSettings {
  readonly timeoutMs: number
  readonly cooldownMs: number
  readonly cacheMaxAgeMs: number
  readonly maxBytes: number
  readonly failureCooldownMs: number
  readonly staleIfErrorMs: number
}

/** Where the key set lives: a URL, or a function finding it (OIDC discovery) on first use. */
export type JwksLocation = string | (() => Promise<string>)

interface LoadedSet {
  readonly text: string
  readonly select: ReturnType<typeof createLocalJWKSet>
  readonly at: number
}

/**
 * Keys from a JWKS URL. The set is fetched on the first token of this issuer (never before), used for
 * `cacheMaxAgeMs`, fetched once for all concurrent requests (single-flight), refetched for an unknown `kid`
 * at most once per `cooldownMs`, and not refetched for `failureCooldownMs` after a failure. When a refetch
 * fails, the last good set keeps verifying until it is `cacheMaxAgeMs + staleIfErrorMs` old (stale-if-error;
 * announced once per episode with a `jwks-stale` security event); past that, 503. jose's local key set
 * selects keys by `alg`, `kid`, `kty`, `crv`, `use` and `key_ops`; each selected CryptoKey becomes a
 * node:crypto KeyObject once, for the fast verify path. Every time is read from the injected clock.
 */
export function jwksKeySource(
  location: JwksLocation,
  settings: JwksSettings,
  now: () => number,
  issuer: string,
): KeySource {
  const keyObjects = new WeakMap<object, KeyObject>()
  let loaded: LoadedSet | undefined
  let pending: Promise<LoadedSet> | undefined
  let failedAt = Number.NEGATIVE_INFINITY
  let generation = 0
  let staleAnnounced = false

  const fetchSet = async (): Promise<LoadedSet> => {
    try {
      const url = typeof location === 'string' ? location : await location()
      const jwks: JSONWebKeySet = await fetchKeySet(url, settings)
      const text = JSON.stringify(jwks)
      // The same content keeps its selector (and its converted keys) and its generation.
      const select = text === loaded?.text ? loaded.select : createLocalJWKSet(jwks)
      if (text !== loaded?.text) generation++
      loaded = { text, select, at: now() }
      staleAnnounced = false
      return loaded
    } catch (error) {
      failedAt = now()
      throw error
    }
  }

  const isFresh = (set: LoadedSet | undefined) => set !== undefined && now() - set.at < settings.cacheMaxAgeMs

  /** The last good set while it may still be used after a failure, else a 503. */
  const fallback = (error: unknown): LoadedSet => {
    const set = loaded
    if (set === undefined || now() - set.at >= settings.cacheMaxAgeMs + settings.staleIfErrorMs) {
      return reject('key-source-unavailable', 503, error)
    }
    if (!isFresh(set) && !staleAnnounced) {
      staleAnnounced = true
      publishSecurityEvent(() => ({
        type: 'authn.jwt',
        outcome: 'allow',
        reason: 'jwks-stale',
        at: now(),
        detail: { issuer, ageMs: now() - set.at, staleIfErrorMs: settings.staleIfErrorMs },
      }))
    }
    return set
  }

  /** A new set (or the pending one); on failure, the fallback. Within failureCooldownMs, no new fetch. */
  const refresh = async (): Promise<LoadedSet> => {
    if (pending === undefined && now() - failedAt < settings.failureCooldownMs) {
      return fallback(new JwksUnavailableError('key endpoint failed moments ago'))
    }
    pending ??= fetchSet().finally(() => {
      pending = undefined
    })
    try {
      return await pending
    } catch (error) {
      return fallback(error)
    }
  }

  const current = (): LoadedSet | Promise<LoadedSet> =>
    pending === undefined && isFresh(loaded) ? loaded! : refresh()

  const toKeyObject = (cryptoKey: CryptoKey): KeyObject => {
    let key = keyObjects.get(cryptoKey)
    if (!key) {
      key = KeyObject.from(cryptoKey as Parameters<typeof KeyObject.from>[0])
      keyObjects.set(cryptoKey, key)
    }
    return key
  }

  const select = async (
    set: LoadedSet,
    alg: JwtAlgorithm,
    kid: unknown,
  ): Promise<CryptoKey[] | undefined> => {
    try {
      return [await set.select({ alg, kid: kid as string | undefined })]
    } catch (error) {
      if (error instanceof errors.JWKSMultipleMatchingKeys) {
        const keys: CryptoKey[] = []
        for await (const key of error as unknown as AsyncIterable<CryptoKey>) keys.push(key)
        return keys
      }
      if (error instanceof errors.JWKSNoMatchingKey) return undefined
      return reject('key-unusable', 401, error)
    }
  }

  return {
    get generation() {
      return generation
    },
    get fresh() {
      return pending === undefined && isFresh(loaded)
    },
    async keysFor(alg: JwtAlgorithm, header: JsonObject) {
      let set = await current()
      let cryptoKeys = await select(set, alg, header.kid)
      // An unknown kid may be a key published since the last fetch: refetch, at most once per cooldownMs.
      if (cryptoKeys === undefined && now() - set.at >= settings.cooldownMs) {
        const refreshed = await refresh()
        if (refreshed !== set) {
          set = refreshed
          cryptoKeys = await select(set, alg, header.kid)
        }
      }
      if (cryptoKeys === undefined) reject('key-not-found')
      const keys = cryptoKeys.map(toKeyObject).filter((key) => keyFitsAlgorithm(key, alg))
      if (keys.length === 0) reject('key-alg-mismatch')
      return keys
    },
  }
}
