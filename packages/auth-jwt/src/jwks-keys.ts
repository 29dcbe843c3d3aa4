import { KeyObject } from 'node:crypto'
import {
  type CryptoKey,
  createRemoteJWKSet,
  customFetch,
  errors,
  type JWKSCacheInput,
  jwksCache,
  type RemoteJWKSet,
} from 'jose'
import { type JwtAlgorithm, keyFitsAlgorithm } from './algorithms'
import type { JsonObject } from './decode-token'
import { JwksUnavailableError, limitedJwksFetch } from './jwks-fetch'
import type { KeySource } from './key-source'
import { reject } from './rejection'

export interface JwksSettings {
  readonly timeoutMs: number
  readonly cooldownMs: number
  readonly cacheMaxAgeMs: number
  readonly maxBytes: number
  readonly failureCooldownMs: number
}

/**
 * Keys from a JWKS URL through jose's remote key set: it caches the set for `cacheMaxAgeMs`, coalesces
 * concurrent fetches, refetches for an unknown `kid` at most once per `cooldownMs`, and selects keys by
 * `alg`, `kid`, `kty`, `crv`, `use` and `key_ops`. Each selected CryptoKey becomes a node:crypto KeyObject
 * once, for the fast verify path. Nothing is fetched before the first token of this issuer arrives.
 */
export function jwksKeySource(uri: string, settings: JwksSettings, now: () => number): KeySource {
  const keyObjects = new WeakMap<object, KeyObject>()
  // jose replaces `loaded.jwks` in the same step as the key set it selects from, so its identity tells
  // exactly when the keys changed; the generation only moves when the content differs.
  const loaded: JWKSCacheInput & { jwks?: object } = {}
  let seen: object | undefined
  let seenText: string | undefined
  let generation = 0
  let failedAt = Number.NEGATIVE_INFINITY
  let remote: RemoteJWKSet | undefined

  const remoteKeySet = (): RemoteJWKSet => {
    remote ??= createRemoteJWKSet(new URL(uri), {
      timeoutDuration: settings.timeoutMs,
      cooldownDuration: settings.cooldownMs,
      cacheMaxAge: settings.cacheMaxAgeMs,
      [jwksCache]: loaded,
      [customFetch]: limitedJwksFetch({
        maxBytes: settings.maxBytes,
        onFailure() {
          failedAt = now()
        },
      }),
    })
    return remote
  }

  const toKeyObject = (cryptoKey: CryptoKey): KeyObject => {
    let key = keyObjects.get(cryptoKey)
    if (!key) {
      key = KeyObject.from(cryptoKey as Parameters<typeof KeyObject.from>[0])
      keyObjects.set(cryptoKey, key)
    }
    return key
  }

  return {
    get generation() {
      if (loaded.jwks !== seen) {
        seen = loaded.jwks
        const text = JSON.stringify(seen)
        if (text !== seenText) generation++
        seenText = text
      }
      return generation
    },
    get fresh() {
      return remote?.fresh === true
    },
    async keysFor(alg: JwtAlgorithm, header: JsonObject) {
      const keySet = remoteKeySet()
      // A failed fetch is not retried for failureCooldownMs: a flood of requests while the endpoint is
      // down costs one fetch, not one per request.
      if (!keySet.fresh && now() - failedAt < settings.failureCooldownMs)
        reject('key-source-unavailable', 503)
      const cryptoKeys: CryptoKey[] = []
      try {
        cryptoKeys.push(await keySet({ alg, kid: header.kid as string | undefined }))
      } catch (error) {
        if (error instanceof errors.JWKSMultipleMatchingKeys) {
          for await (const key of error as unknown as AsyncIterable<CryptoKey>) cryptoKeys.push(key)
        } else if (error instanceof JwksUnavailableError) {
          reject('key-source-unavailable', 503, error)
        } else if (error instanceof errors.JWKSNoMatchingKey) {
          reject('key-not-found')
        } else {
          reject('key-unusable', 401, error)
        }
      }
      const keys = cryptoKeys.map(toKeyObject).filter((key) => keyFitsAlgorithm(key, alg))
      if (keys.length === 0) reject('key-alg-mismatch')
      return keys
    },
  }
}
