import type { JsonObject } from './decode-token'
import { buildIssuers, type IssuerDependencies, type IssuerState } from './issuers'
import { loadOnce } from './load-once'
import type { IssuerCacheOptions, IssuerOptions, IssuerResolver } from './options'

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

/**
 * The issuer lookup of a configuration: a static allow-list (exact `iss`, then `{tenantid}` templates) or
 * a resolver behind a positive and a negative cache.
 */
export function issuerLookup(
  issuers: readonly IssuerOptions[] | IssuerResolver,
  cacheOptions: IssuerCacheOptions | undefined,
  deps: IssuerDependencies,
): IssuerLookup {
  if (typeof issuers === 'function') return lazyResolverLookup(issuers, cacheSettings(cacheOptions), deps)
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

export interface ResolverSettings {
  readonly maxEntries: number
  readonly ttlMs: number
  readonly negativeTtlMs: number
  readonly timeoutMs: number
}

function cacheSettings(options: IssuerCacheOptions | undefined): ResolverSettings {
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

/**
 * The resolver's lookup, loaded (import()) on the first token: the caches and the resolver protocol are in
 * no bundle of a static allow-list. Calls before the load completes wait for it; later calls go straight on.
 */
function lazyResolverLookup(
  resolve: IssuerResolver,
  settings: ResolverSettings,
  deps: IssuerDependencies,
): IssuerLookup {
  const lookup = loadOnce(() =>
    import('./resolver-lookup').then((module) => module.resolverLookup(resolve, settings, deps)),
  )
  return (iss, header) => lookup.use((loaded) => loaded(iss, header))
}
