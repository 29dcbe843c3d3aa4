// Loaded (import()) by issuerLookup() on the first token of a configuration whose `issuers` is a resolver.
import { TtlLruCache } from '@lift/security-core'
import type { JsonObject } from './decode-token'
import type { IssuerLookup, ResolverSettings } from './issuer-resolver'
import type { IssuerDependencies } from './issuers'
import { buildIssuer, type IssuerState } from './issuers'
import type { KeySource } from './key-source'
import type { IssuerOptions, IssuerResolver } from './options'
import { reject, TokenRejection } from './rejection'
import { secureUrl } from './secure-url'

/** Longer `iss` values are never given to a resolver. */
export const MAX_RESOLVABLE_ISS_CHARS = 512
/** A resolver that threw or timed out is not asked again about the same `iss` for this long. */
export const RESOLVER_FAILURE_TTL_MS = 1000

// The non-URL issuer form in use: Google's `accounts.google.com`.
const HOST_NAME = /^[a-z0-9](?:[a-z0-9-]{0,62}\.)+[a-z]{2,63}$/i

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

/** Why the resolver gave no usable issuer: the reason of the 503 every request for that `iss` gets. */
type Failure = 'issuer-resolver-failed' | 'issuer-config-invalid'

/** The issuer lookup of a resolver: a positive and a negative cache in front of it, one call per `iss` at a time. */
export function resolverLookup(
  resolve: IssuerResolver,
  settings: ResolverSettings,
  deps: IssuerDependencies,
): IssuerLookup {
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
  // A tenant's JWKS key source outlives its resolver answer while the next answer names the same keys:
  // re-resolving costs no fetch, and stale-if-error still covers an outage of the tenant's key endpoint.
  const keySources = new TtlLruCache<string, { readonly where: string; readonly keys: KeySource }>({
    maxEntries: settings.maxEntries,
    ttlMs: Number.POSITIVE_INFINITY,
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
      keySources.delete(iss)
      return undefined
    }
    let state: IssuerState
    try {
      state = buildIssuer(options, deps, 'resolved issuer')
      if (state.template !== undefined || !state.issuers.includes(iss))
        throw new Error(`jwtAuth: the issuer resolver answered options whose \`issuer\` is not "${iss}"`)
    } catch (error) {
      // A misconfigured tenant is the operator's error: a 503 for its tokens. The request that found the
      // problem names it in its own decision event (one event per request, so denials are counted once).
      unknown.set(iss, 'issuer-config-invalid')
      throw new TokenRejection('issuer-config-invalid', 503, undefined, undefined, {
        issuer: iss,
        error: (error as Error).message,
      })
    }
    // Verdicts never outlive the answer they were verified under: a tenant removed or changed in the
    // resolver's table is refused within ttlSec, tokens already in the verified-token cache included.
    const where = remoteKeysOf(options)
    const previous = keySources.get(iss)
    const keys = where !== undefined && previous?.where === where ? previous.keys : state.keys
    if (where === undefined) keySources.delete(iss)
    else keySources.set(iss, { where, keys })
    state = Object.freeze({ ...state, keys, resolvedUntilMs: now() + settings.ttlMs })
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

/** Where a resolved issuer's remote keys are (its jwksUri, or discovery from its `iss`); else undefined. */
function remoteKeysOf(options: IssuerOptions): string | undefined {
  if (options.jwksUri !== undefined) return `jwksUri ${options.jwksUri}`
  return options.discovery === true ? 'discovery' : undefined
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`issuer resolver took longer than ${timeoutMs} ms`)), timeoutMs)
    timer.unref()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
