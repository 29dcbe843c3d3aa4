import type { KeyObject } from 'node:crypto'
import type { HttpRequestView, SecretsProvider } from '@lift/security-core'
import type { JWK } from 'jose'
import type { JwtAlgorithm } from './algorithms'

/** A public key: PEM (SPKI or X.509 certificate), a public JWK, or a node:crypto KeyObject. */
export type PublicKeyInput = string | JWK | KeyObject

/** An HMAC secret kept in AWS Secrets Manager; AWSCURRENT and AWSPREVIOUS are both accepted. */
export interface SecretRef {
  readonly secretId: string
  /** When the secret is a JSON object: the field holding the HMAC secret. */
  readonly field?: string
}

/**
 * A rule for one claim: an exact value, a list of accepted values (one of), or a predicate given the
 * claim's value (`undefined` when absent) and all verified claims. Exact values and lists match a string,
 * number or boolean claim with `===`; use a predicate for arrays and objects.
 *
 * @example
 * ```ts
 * import type { ClaimRule } from '@lift/auth-jwt'
 *
 * const ver: ClaimRule = '2.0'
 * const tid: ClaimRule = ['72f988bf-86f1-41af-91ab-2d7cd011db47', 'f8cdef31-a31e-4b4a-93e4-5f571e91255a']
 * const amr: ClaimRule = (value) => Array.isArray(value) && value.includes('mfa')
 * ```
 */
export type ClaimRule =
  | string
  | number
  | boolean
  | readonly (string | number | boolean)[]
  | ((value: unknown, claims: Claims) => boolean)

/**
 * The `token_use` a Cognito-style token must carry: `access` for access tokens, `id` for ID tokens.
 *
 * @example
 * ```ts
 * import type { IssuerOptions, TokenUse } from '@lift/auth-jwt'
 *
 * const tokenUse: TokenUse = 'access'
 * const issuer: IssuerOptions = {
 *   issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123',
 *   tokenUse,
 *   clientId: '1example23456789',
 *   algorithms: ['RS256'],
 *   jwksUri: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/.well-known/jwks.json',
 * }
 * ```
 */
export type TokenUse = 'access' | 'id'

/**
 * One trusted issuer of `jwtAuth()`: its exact `iss`, accepted audiences and algorithms, and exactly one key
 * source (`jwksUri`, `publicKey`, `secret` or `secretRef`).
 *
 * @example
 * ```ts
 * import type { IssuerOptions } from '@lift/auth-jwt'
 *
 * const acme: IssuerOptions = {
 *   issuer: 'https://idp.example.com/acme',
 *   tenantId: 'acme',
 *   audience: 'orders-api',
 *   algorithms: ['RS256'],
 *   jwksUri: 'https://idp.example.com/acme/.well-known/jwks.json',
 * }
 * ```
 */
export interface IssuerOptions {
  /**
   * Exact `iss` value (or several spellings of the same issuer, such as Google's two). Tokens from issuers
   * not listed are refused before any key lookup.
   */
  readonly issuer: string | readonly string[]
  /**
   * Audience rules: at least one of `audience`, `clientId` and `tokenUse` is required, and every one given
   * must hold.
   *
   * Accepted `aud` values; the token's `aud` (string or array) must contain one of them.
   */
  readonly audience?: string | readonly string[]
  /**
   * Accepted client (application) ids. The client of an ID token (`token_use: "id"`) is its `aud`, as in
   * aws-jwt-verify; of any other token its `client_id` (Cognito access tokens, RFC 9068), else its `azp`
   * (Entra v2, Auth0), else its `appid` (Entra v1). A token naming no client is refused.
   */
  readonly clientId?: string | readonly string[]
  /** The token's `token_use` must equal this (Cognito: `access` or `id`). */
  readonly tokenUse?: TokenUse
  /** Further claim rules (`tid`, `ver`, `azp`, `cid`…); a mismatch is a 401 `invalid_token`. */
  readonly claims?: Readonly<Record<string, ClaimRule>>
  /** The algorithms this issuer signs with: all symmetric (HS*) or all asymmetric. */
  readonly algorithms: readonly JwtAlgorithm[]
  /** Exactly one key source: */
  readonly jwksUri?: string
  /**
   * OpenID Connect discovery: `jwks_uri` is read from `<issuer>/.well-known/openid-configuration` on the
   * first token (once, then kept); the document must name exactly this `issuer`, and both URLs must be https
   * (http on localhost only).
   */
  readonly discovery?: boolean
  readonly publicKey?: PublicKeyInput | readonly PublicKeyInput[]
  readonly secret?: string | Uint8Array
  readonly secretRef?: string | SecretRef
  /** Every token of this issuer belongs to this tenant, whatever its claims say. */
  readonly tenantId?: string
  /** Where the roles of this issuer's tokens are (overrides jwtAuth's `roles` for them). */
  readonly roles?: RolesOptions
  /** Where the scopes of this issuer's tokens are (overrides jwtAuth's `scopes` for them). */
  readonly scopes?: ScopesOptions
  /** Expected `typ` header (`at+jwt` matches `application/at+jwt`, case-insensitive). */
  readonly typ?: string
  /** Claims that must be present (in addition to `exp` and `sub`). */
  readonly requiredClaims?: readonly string[]
  /** Refuse tokens whose `iat` is older than this (requires `iat`). */
  readonly maxTokenAgeSec?: number
}

/** Where the token is read from: a header (Authorization Bearer by default), a cookie or a query parameter. */
export type TokenSource =
  | { readonly header: string; readonly scheme?: string }
  | { readonly cookie: string }
  | { readonly query: string }

/**
 * How `jwtAuth()` finds a token's tenant and the tenant a request names, and whether a tenant is required.
 * @example
 * ```ts
 * import { cognito, jwtAuth } from '@lift/auth-jwt'
 *
 * const issuers = [cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' })]
 * jwtAuth({ issuers, tenant: { claim: 'custom:tenant', required: true, fromRequest: (view) => view.header('x-tenant-id') } })
 * ```
 */
export interface TenantOptions {
  /** Claim holding the tenant for issuers without a `tenantId`. */
  readonly claim?: string
  /** The tenant the request names (path parameter, header, host…); it must equal the token's tenant. */
  readonly fromRequest?: (view: HttpRequestView) => string | undefined
  /** Refuse tokens without a tenant. */
  readonly required?: boolean
}

/** The verified claims of a token (its JWT payload), read-only. */
export type Claims = Readonly<Record<string, unknown>>

/**
 * Where `jwtAuth()` reads the principal's roles: a claim (or several, merged), or a function of the claims.
 * @example
 * ```ts
 * import { cognito, jwtAuth } from '@lift/auth-jwt'
 *
 * const issuers = [cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' })]
 * jwtAuth({ issuers, roles: { claim: ['roles', 'cognito:groups'] } })
 * ```
 */
export interface RolesOptions {
  /** Claim (or claims, merged) holding the roles: an array of strings or one string. Default `roles`. */
  readonly claim?: string | readonly string[]
  /** Computes roles from the verified claims instead (wins over `claim`). */
  readonly map?: (claims: Claims) => readonly string[]
}

/**
 * Where `jwtAuth()` reads the principal's scopes (default `scope`, then `scp`).
 * @example
 * ```ts
 * import { cognito, jwtAuth } from '@lift/auth-jwt'
 *
 * const issuers = [cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' })]
 * jwtAuth({ issuers, scopes: { claim: 'permissions' } })
 * ```
 */
export interface ScopesOptions {
  /**
   * Claim holding the scopes (space-separated string or array), or several: the first the token carries
   * is used. Default `['scope', 'scp']`.
   */
  readonly claim?: string | readonly string[]
}

/**
 * How `jwtAuth()` fetches JWKS key sets: timeout, size limit, refetch cooldowns and the longest a set is used.
 * @example
 * ```ts
 * import { cognito, jwtAuth } from '@lift/auth-jwt'
 *
 * const issuers = [cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' })]
 * jwtAuth({ issuers, jwks: { timeoutMs: 2000, cacheMaxAgeMs: 300_000 } })
 * ```
 */
export interface JwksOptions {
  /** Fetch timeout. Default 5000. */
  readonly timeoutMs?: number
  /** After a fetch, an unknown `kid` triggers no new fetch for this long. Default 30000. */
  readonly cooldownMs?: number
  /** A fetched key set is used at most this long, so a removed key stops verifying. Default 600000. */
  readonly cacheMaxAgeMs?: number
  /** Larger responses are refused. Default 262144 (256 KiB). */
  readonly maxBytes?: number
  /** After a failed fetch, requests fail fast (no new fetch) for this long. Default 1000. */
  readonly failureCooldownMs?: number
  /**
   * Stale-if-error: when a refetch of a key set older than `cacheMaxAgeMs` fails, the last good set keeps
   * verifying for up to this long past its cache age (announced once per episode by a `jwks-stale`
   * security event), instead of a 503 for every request. 0 turns it off. Default 3600000 (1 hour).
   */
  readonly staleIfErrorMs?: number
}

/**
 * Finds the issuer of a token not listed statically (multi-tenant SaaS: one issuer per tenant, kept in a
 * table). Called only for a well-formed `iss`, once per `iss` at a time, and its answers are cached; the
 * returned options are validated like static ones and must name exactly this `iss`. `undefined` refuses the
 * token (401); a throw or a timeout is a 503. The answer is per `iss`: every token of that `iss` (concurrent
 * ones included) gets it until it expires, so `unverifiedHeader`, the header of the token that caused the
 * call, is for logging only; an answer must not depend on it (on `kid`, say).
 *
 * @example
 * ```ts
 * import { type IssuerResolver, jwtAuth } from '@lift/auth-jwt'
 *
 * const tenants: Record<string, string> = { 'https://acme.eu.auth0.com/': 'acme' }
 * const resolve: IssuerResolver = async (iss) =>
 *   tenants[iss] === undefined
 *     ? undefined
 *     : { issuer: iss, tenantId: tenants[iss], audience: 'https://api.example.com', algorithms: ['RS256'], discovery: true }
 *
 * jwtAuth({ issuers: resolve })
 * ```
 */
export type IssuerResolver = (
  iss: string,
  unverifiedHeader: Readonly<Record<string, unknown>>,
) => IssuerOptions | undefined | Promise<IssuerOptions | undefined>

/**
 * The caches in front of an IssuerResolver: known issuers (`ttlSec`) and unknown ones (`negativeTtlSec`)
 * are kept apart, `maxEntries` each.
 *
 * @example
 * ```ts
 * import { type IssuerCacheOptions, jwtAuth } from '@lift/auth-jwt'
 *
 * const issuerCache: IssuerCacheOptions = { maxEntries: 5000, ttlSec: 300, negativeTtlSec: 120, timeoutMs: 1000 }
 * jwtAuth({ issuers: async () => undefined, issuerCache })
 * ```
 */
export interface IssuerCacheOptions {
  /** Issuers kept, and separately, unknown `iss` values remembered. Default 1000 each. */
  readonly maxEntries?: number
  /**
   * A resolved issuer is kept this long; a changed or removed answer takes effect within it, for tokens in
   * the verified-token cache too. An answer naming the same `jwksUri` keeps the key set. Default 600.
   */
  readonly ttlSec?: number
  /** An `iss` the resolver did not know is answered 401 without asking again for this long. Default 60. */
  readonly negativeTtlSec?: number
  /** A resolver call taking longer fails (503). Default 3000. */
  readonly timeoutMs?: number
}

/**
 * The verified-token cache of `jwtAuth()`: how many tokens it keeps and for how long (never past `exp`).
 * @example
 * ```ts
 * import { cognito, jwtAuth } from '@lift/auth-jwt'
 *
 * const issuers = [cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' })]
 * jwtAuth({ issuers, cache: { maxEntries: 5000, maxTtlSec: 60 } })
 * ```
 */
export interface TokenCacheOptions {
  /** Verified tokens kept. Default 1000. */
  readonly maxEntries?: number
  /** An entry lives at most this long (and never past the token's `exp`). Default 300. */
  readonly maxTtlSec?: number
}

/**
 * Options of `jwtAuth()`: the issuer allow-list (required) and where tokens, tenants, roles and scopes come from.
 * @example
 * ```ts
 * import { jwtAuth } from '@lift/auth-jwt'
 *
 * jwtAuth({
 *   issuers: [{ issuer: 'https://idp.example.com', audience: 'api', algorithms: ['HS256'], secretRef: 'prod/jwt' }],
 *   token: { cookie: 'session' },
 *   roles: { claim: 'cognito:groups' },
 *   clockToleranceSec: 5,
 * })
 * ```
 */
export interface JwtAuthOptions {
  /** The issuer allow-list, or a resolver for issuers kept elsewhere (see IssuerResolver). */
  readonly issuers: readonly IssuerOptions[] | IssuerResolver
  /** Cache of the resolver's answers (only with a resolver). */
  readonly issuerCache?: IssuerCacheOptions
  readonly token?: TokenSource
  readonly tenant?: TenantOptions
  readonly roles?: RolesOptions
  readonly scopes?: ScopesOptions
  /** Leeway for `exp`, `nbf`, `iat`. Default 5. */
  readonly clockToleranceSec?: number
  /** Longer tokens are refused before they are parsed. Default 8192. */
  readonly maxTokenBytes?: number
  /** Verified-token cache; `false` turns it off. */
  readonly cache?: TokenCacheOptions | false
  /** A request without a token passes without a principal (a present but invalid token is still 401). */
  readonly credentialsOptional?: boolean
  readonly jwks?: JwksOptions
  /** Used for `secretRef`; default: createSecretsProvider() from @lift/security-core, made on first use. */
  readonly secretsProvider?: SecretsProvider
  /** `realm` of the WWW-Authenticate challenge. */
  readonly realm?: string
  /** Clock in epoch milliseconds. Default Date.now. */
  readonly now?: () => number
  /**
   * Build the principal from the claims API Gateway already verified (HTTP API JWT authorizer, or a Lambda
   * authorizer such as jwtAuthorizer()) instead of verifying the token again. Only for functions that API
   * Gateway alone can invoke. Default false: those event fields are never read.
   */
  readonly trustApiGatewayClaims?: boolean
}
