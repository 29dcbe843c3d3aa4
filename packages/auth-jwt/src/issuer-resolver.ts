import { publishSecurityEvent, TtlLruCache } from '@lift/security-core'
import type { JsonObject } from './decode-token'
import { secureUrl } from './discovery'
import { buildIssuer, buildIssuers, type IssuerDependencies, type IssuerState } from './issuers'
import type { IssuerCacheOptions, IssuerOptions, IssuerResolver } from './options'
import { reject } from './rejection'

/** The issuer of a token: found synchronously (static list, cache hit) or after the resolver answered. */
export type IssuerLookup = (
  iss: string,
  header: JsonObject,
) => IssuerState | undefined | Promise<IssuerState | undefined>

/** Defaults of `issuerCache`. */
export const issuerCacheDefaults = Object.freeze({
  maxEntries: 1000,
  ttlSec: 600,
  negativeTtlSec: 60,
  timeoutMs: 3000,
})

/** Longer `iss` values are never given to a resolver. */
export const MAX_RESOLVABLE_ISS_CHARS = 512
/** A resolver that threw or timed out is not asked again about the same `iss` for this long. */
export const RESOLVER_FAILURE_TTL_MS = 1000

// The non-URL issuer form in use: Google's `accounts.google.com`.
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}\.)+[a-z]{2,63}$/i

/**
 * The issuer lookup of a configuration: a static allow-list (exact `iss`, then `{tenantid}` templates) or
 * a resolver behind a positive and a negative cache.
 */
export function issuerLookup(
  issuers: readonly IssuerOptions[] | IssuerResolver,
  cacheOptions: IssuerCacheOptions | undefined,
  deps: IssuerDependencies,
): IssuerLookup {
  if (typeof issuers === 'function') return resolverLookup(issuers, cacheSettings(cacheOptions), deps)
  if (cacheOptions !== undefined)
    throw new Error('jwtAuth: `issuerCache` applies to an issuer resolver only (issuers: (iss) => ...)')
  const exact = new Map<string, IssuerState>()
  const templates: IssuerState[] = []
  for (const [iss, state] of buildIssuers(issuers, deps)) {
    if (state.template === undefined) exact.set(iss, state)
    else templates.push(state)
  }
  if (templates.length === 0) return (iss) => exact.get(iss)
  return (iss) => exact.get(iss) ?? templates.find((state) => state.template!.test(iss))
}

/**
 * Whether an `iss` may be shown to a resolver: at most MAX_RESOLVABLE_ISS_CHARS printable ASCII characters,
 * and either an https URL in its normalized form (no credentials, query or fragment; http on loopback for
 * local development) or a bare host name such as `accounts.google.com`.
 */
export function isResolvableIssuer(iss: string): boolean {
  if (iss.length === 0 || iss.length > MAX_RESOLVABLE_ISS_CHARS || !/^[\x21-\x7e]+$/.test(iss)) return false
  if (HOST_NAME.test(iss)) return true
  const href = secureUrl(iss)
  if (href === undefined) return false
  const url = new URL(href)
  const plain = url.username === '' && url.password === '' && url.search === '' && url.hash === ''
  return plain && (href === iss || href === `${iss}/`)
}

interface Settings {
  readonly maxEntries: number
  readonly ttlMs: number
  readonly negativeTtlMs: number
  readonly timeoutMs: number
}

function cacheSettings(options: IssuerCacheOptions | undefined): Settings {
  if (options !== undefined && (typeof options !== 'object' || options === null))
    throw new Error('jwtAuth: `issuerCache` must be an object')
  const merged = { ...issuerCacheDefaults, ...options }
  for (const [name, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      throw new Error(`jwtAuth: \`issuerCache.${name}\` must be a positive number`)
  }
  if (!Number.isInteger(merged.maxEntries))
    throw new Error('jwtAuth: `issuerCache.maxEntries` must be a positive integer')
  return {
    maxEntries: merged.maxEntries,
    ttlMs: merged.ttlSec * 1000,
    negativeTtlMs: merged.negativeTtlSec * 1000,
    timeoutMs: merged.timeoutMs,
  }
}

/** Why the resolver gave no usable issuer: the reason of the 503 every request for that `iss` gets. */
type Failure = 'issuer-resolver-failed' | 'issuer-config-invalid'

function resolverLookup(resolve: IssuerResolver, settings: Settings, deps: IssuerDependencies): IssuerLookup {
  const { now } = deps
  // Two caches: a spray of unknown issuers churns the negative one and never evicts a real tenant.
  const known = new TtlLruCache<string, IssuerState>({
    maxEntries: settings.maxEntries,
    ttlMs: settings.ttlMs,
    now,
  })
  const unknown = new TtlLruCache<string, Failure | 'unknown'>({
    maxEntries: settings.maxEntries,
    ttlMs: settings.negativeTtlMs,
    now,
  })
  const pending = new Map<string, Promise<IssuerState | undefined>>()

  const ask = async (iss: string, header: JsonObject): Promise<IssuerState | undefined> => {
    let options: IssuerOptions | undefined
    try {
      options = await withTimeout(
        Promise.resolve().then(() => resolve(iss, header)),
        settings.timeoutMs,
      )
    } catch (error) {
      unknown.set(iss, 'issuer-resolver-failed', RESOLVER_FAILURE_TTL_MS)
      return reject('issuer-resolver-failed', 503, error)
    }
    if (options === undefined) {
      unknown.set(iss, 'unknown')
      return undefined
    }
    let state: IssuerState
    try {
      state = buildIssuer(options, deps, 'resolved issuer')
      if (state.template !== undefined || !state.issuers.includes(iss))
        throw new Error(`jwtAuth: the issuer resolver answered options whose \`issuer\` is not "${iss}"`)
    } catch (error) {
      // A misconfigured tenant is the operator's error: a 503 for its tokens and one event naming the problem.
      unknown.set(iss, 'issuer-config-invalid')
      publishSecurityEvent(() => ({
        type: 'authn.jwt',
        outcome: 'deny',
        reason: 'issuer-config-invalid',
        at: now(),
        detail: { issuer: iss, error: (error as Error).message },
      }))
      return reject('issuer-config-invalid', 503)
    }
    known.set(iss, state)
    return state
  }

  return (iss, header) => {
    const state = known.get(iss)
    if (state !== undefined) return state
    if (!isResolvableIssuer(iss)) return undefined
    const remembered = unknown.get(iss)
    if (remembered === 'unknown') return undefined
    if (remembered !== undefined) reject(remembered, 503)
    let inFlight = pending.get(iss)
    if (inFlight === undefined) {
      inFlight = ask(iss, header).finally(() => pending.delete(iss))
      pending.set(iss, inFlight)
    }
    return inFlight
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`issuer resolver took longer than ${timeoutMs} ms`)), timeoutMs)
    timer.unref()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
