import { assertKnownOptions, type HttpRequestView, type SecretsProvider } from '@lift/security-core'
import { type IssuerLookup, issuerLookup } from './issuer-resolver'
import { isNonNegative } from './issuers'
import type { JwksSettings } from './jwks-keys'
import {
  CACHE_OPTIONS,
  ISSUER_CACHE_OPTIONS,
  JWKS_OPTIONS,
  JWT_AUTH_OPTIONS,
  TENANT_OPTIONS,
  TOKEN_SOURCE_OPTIONS,
} from './option-names'
import type { JwtAuthOptions, TokenSource } from './options'
import { type PrincipalMapper, principalMapper, rolesReader, scopesReader } from './principal-mapping'
import { createTokenCache, type TokenCache } from './token-cache'
import { type TokenReader, tokenReader } from './token-source'

/** Defaults that every jwtAuth() merges its options over. */
export const jwtAuthDefaults = Object.freeze({
  token: Object.freeze({ header: 'authorization', scheme: 'Bearer' }) as TokenSource,
  clockToleranceSec: 5,
  maxTokenBytes: 8192,
  cache: Object.freeze({ maxEntries: 1000, maxTtlSec: 300 }),
  credentialsOptional: false,
  jwks: Object.freeze({
    timeoutMs: 5000,
    cooldownMs: 30_000,
    cacheMaxAgeMs: 600_000,
    maxBytes: 262_144,
    failureCooldownMs: 1000,
    staleIfErrorMs: 3_600_000,
  }),
  now: Date.now,
})

/** The nested option objects checked for unknown keys (roles and scopes are checked by their readers). */
const NESTED_OPTIONS = [
  ['jwks', JWKS_OPTIONS],
  ['tenant', TENANT_OPTIONS],
  ['cache', CACHE_OPTIONS],
  ['token', TOKEN_SOURCE_OPTIONS],
  ['issuerCache', ISSUER_CACHE_OPTIONS],
] as const

/** Everything jwtAuth() needs per request, computed and checked once. */
export interface JwtAuthConfig {
  readonly findIssuer: IssuerLookup
  readonly readToken: TokenReader
  readonly requestTenant?: (view: HttpRequestView) => string | undefined
  readonly mapPrincipal: PrincipalMapper
  readonly maxTokenBytes: number
  readonly cache?: TokenCache
  readonly credentialsOptional: boolean
  readonly realm?: string
  readonly now: () => number
  readonly trustApiGatewayClaims: boolean
}

/** Merges the options over jwtAuthDefaults and validates them; a misconfiguration throws here, at cold start. */
export function resolveJwtAuthConfig(options: JwtAuthOptions): JwtAuthConfig {
  if (typeof options !== 'object' || options === null)
    throw new Error('jwtAuth: options are required ({ issuers: [...] })')
  assertKnownOptions('jwtAuth', options, JWT_AUTH_OPTIONS)
  for (const [name, names] of NESTED_OPTIONS) {
    const nested = options[name]
    if (typeof nested === 'object' && nested !== null)
      assertKnownOptions('jwtAuth', nested, names, `${name}.`)
  }
  const now = options.now ?? jwtAuthDefaults.now
  if (typeof now !== 'function')
    throw new Error('jwtAuth: `now` must be a function returning epoch milliseconds')
  const clockToleranceSec = options.clockToleranceSec ?? jwtAuthDefaults.clockToleranceSec
  if (!isNonNegative(clockToleranceSec))
    throw new Error('jwtAuth: `clockToleranceSec` must be a non-negative number')
  const maxTokenBytes = options.maxTokenBytes ?? jwtAuthDefaults.maxTokenBytes
  if (!isPositiveInteger(maxTokenBytes))
    throw new Error('jwtAuth: `maxTokenBytes` must be a positive integer')
  const jwks: JwksSettings = { ...jwtAuthDefaults.jwks, ...options.jwks }
  for (const [name, value] of Object.entries(jwks)) {
    // A zero timeout or size limit would refuse every key set; zero cooldowns and cache age are valid.
    const minimum = name === 'timeoutMs' || name === 'maxBytes' ? 1 : 0
    if (!Number.isInteger(value) || value < minimum) {
      throw new Error(`jwtAuth: \`jwks.${name}\` must be an integer >= ${minimum} (ms or bytes)`)
    }
  }
  const tenant = options.tenant ?? {}
  if (tenant.fromRequest !== undefined && typeof tenant.fromRequest !== 'function') {
    throw new Error('jwtAuth: `tenant.fromRequest` must be a function (view) => string | undefined')
  }
  if (tenant.claim !== undefined && (typeof tenant.claim !== 'string' || tenant.claim === '')) {
    throw new Error('jwtAuth: `tenant.claim` must be a claim name')
  }
  const roles = rolesReader(options.roles, '')
  const scopes = scopesReader(options.scopes, '')
  if (options.realm !== undefined && (typeof options.realm !== 'string' || /["\\\r\n]/.test(options.realm))) {
    throw new Error('jwtAuth: `realm` must be a string without quotes, backslashes or line breaks')
  }

  const secretsProvider = lazySecretsProvider(options.secretsProvider)
  const deps = { clockToleranceSec, jwks, secretsProvider, now }
  const findIssuer = issuerLookup(options.issuers, options.issuerCache, deps)
  if (options.trustApiGatewayClaims !== undefined && typeof options.trustApiGatewayClaims !== 'boolean')
    throw new Error('jwtAuth: `trustApiGatewayClaims` must be true or false')
  return Object.freeze({
    findIssuer,
    trustApiGatewayClaims: options.trustApiGatewayClaims === true,
    readToken: tokenReader(validTokenSource(options.token ?? jwtAuthDefaults.token)),
    mapPrincipal: principalMapper({ roles, scopes, tenant }),
    maxTokenBytes,
    credentialsOptional: options.credentialsOptional ?? jwtAuthDefaults.credentialsOptional,
    now,
    ...(tenant.fromRequest === undefined ? {} : { requestTenant: tenant.fromRequest }),
    ...(options.realm === undefined ? {} : { realm: options.realm }),
    ...(options.cache === false ? {} : { cache: tokenCache(options.cache, now) }),
  })
}

function tokenCache(options: JwtAuthOptions['cache'], now: () => number): TokenCache {
  const { maxEntries, maxTtlSec } = { ...jwtAuthDefaults.cache, ...(options || {}) }
  if (!isPositiveInteger(maxEntries))
    throw new Error('jwtAuth: `cache.maxEntries` must be a positive integer')
  if (!isNonNegative(maxTtlSec) || maxTtlSec === 0)
    throw new Error('jwtAuth: `cache.maxTtlSec` must be a positive number (or cache: false)')
  return createTokenCache(maxEntries, maxTtlSec * 1000, now)
}

function validTokenSource(source: TokenSource): TokenSource {
  const kinds = ['header', 'cookie', 'query'].filter(
    (kind) => typeof source === 'object' && source !== null && kind in source,
  )
  if (kinds.length !== 1)
    throw new Error('jwtAuth: `token` must be exactly one of { header }, { cookie } or { query }')
  const kind = kinds[0] as 'header'
  const name = (source as { header: unknown })[kind]
  if (typeof name !== 'string' || name === '')
    throw new Error(`jwtAuth: \`token.${kind}\` must be a non-empty name`)
  const scheme = (source as { scheme?: unknown }).scheme
  if (
    scheme !== undefined &&
    (kind !== 'header' || typeof scheme !== 'string' || !/^[A-Za-z][A-Za-z0-9-]*$/.test(scheme))
  ) {
    throw new Error(
      'jwtAuth: `token.scheme` is an auth scheme name (such as Bearer) and applies to headers only',
    )
  }
  return source
}

/**
 * The default Secrets Manager provider is created on first use, never at import or construction, by the
 * secretRef key source (loaded with the first secretRef issuer), so that its code is in no other bundle.
 */
function lazySecretsProvider(
  given: SecretsProvider | undefined,
): (makeDefault: () => SecretsProvider) => SecretsProvider {
  let provider = given
  return (makeDefault) => {
    provider ??= makeDefault()
    return provider
  }
}

function isPositiveInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0
}
