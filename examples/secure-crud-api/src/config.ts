import type { IssuerOptions } from '@lift/auth-jwt'
import { type KeySource, secretsManagerHmacKey, type VerifySignatureOptions } from '@lift/request-signing'
import { assertKnownOptions, type SecretsProvider } from '@lift/security-core'

/**
 * One tenant's identity provider (in production, e.g. one Cognito user pool per tenant). At least one of
 * `audience`, `clientId` and `tokenUse` is required, and every one given is checked: Cognito access tokens
 * carry no `aud`, so a Cognito pool is `clientId` (the app client) with `tokenUse: 'access'`.
 */
export interface TenantIssuer {
  readonly tenantId: string
  readonly issuer: string
  /** The token's `aud` (Auth0, Entra, Okta, ...). */
  readonly audience?: string
  /** The app client: a Cognito access token's `client_id` (or an ID token's `aud`). */
  readonly clientId?: string
  /** Cognito's `token_use`. */
  readonly tokenUse?: 'access' | 'id'
  /** The claim listing the caller's roles (default `roles`; `cognito:groups` for Cognito groups). */
  readonly rolesClaim?: string
  /** Exactly one key source: a JWKS URL (RS256/ES256), a Secrets Manager secret id or a secret (HS256). */
  readonly jwksUri?: string
  readonly secretId?: string
  readonly secret?: string | Uint8Array
}

/** A tenant's backend that calls the service routes with RFC 9421 signatures (HMAC-SHA256), one key each. */
export interface ServiceCaller {
  readonly keyId: string
  /** The only tenant this key may act for. */
  readonly tenantId: string
  /** Exactly one key source: a Secrets Manager secret id (deployed) or the secret (local, tests). */
  readonly secretId?: string
  readonly secret?: string | Uint8Array
}

export interface StackConfig {
  readonly service: string
  readonly version: string
  /** Projects and idempotency records. */
  readonly dataTableName: string
  /** Rate-limit counters and signature nonces (hot, short-lived items, kept apart from the data). */
  readonly guardTableName: string
  readonly tenants: readonly TenantIssuer[]
  readonly serviceCallers: readonly ServiceCaller[]
  /** Browser origins allowed by CORS (none: no CORS headers). */
  readonly corsOrigins: readonly string[]
  /** A secret that unlocks the full health report (`x-health-token` header). */
  readonly healthTokenSecretId?: string
  readonly healthToken?: string
  /** Longest wait for the rate-limit table before failing open (default 500 ms; dynalite on a busy machine needs more). */
  readonly rateLimitStoreTimeoutMs?: number
  /** Oldest accepted signature `created` on the service routes, in seconds (default 300). */
  readonly serviceMaxAgeSec?: number
  /** Clock (epoch ms), for tests. */
  readonly now?: () => number
}

/** Every variable configFromEnv reads (template.yaml sets exactly these, plus Powertools' own). */
export const CONFIG_ENVIRONMENT = Object.freeze([
  'DATA_TABLE_NAME',
  'GUARD_TABLE_NAME',
  'TENANT_ISSUERS',
  'SERVICE_CALLERS',
  'CORS_ORIGINS',
  'HEALTH_TOKEN_SECRET_ID',
  'RATE_LIMIT_STORE_TIMEOUT_MS',
  'POWERTOOLS_SERVICE_NAME',
  'APP_VERSION',
] as const)

/**
 * The configuration from the function's environment (template.yaml sets every variable read here):
 * DATA_TABLE_NAME, GUARD_TABLE_NAME, TENANT_ISSUERS (JSON: [{ tenantId, issuer, audience | clientId + tokenUse, rolesClaim?, jwksUri | secretId }]),
 * SERVICE_CALLERS (JSON: [{ keyId, tenantId, secretId }]), CORS_ORIGINS (comma separated), HEALTH_TOKEN_SECRET_ID,
 * RATE_LIMIT_STORE_TIMEOUT_MS,
 * POWERTOOLS_SERVICE_NAME and APP_VERSION.
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): StackConfig {
  const dataTableName = required(env, 'DATA_TABLE_NAME')
  const guardTableName = required(env, 'GUARD_TABLE_NAME')
  const tenants = parseTenants(required(env, 'TENANT_ISSUERS'))
  return {
    service: env.POWERTOOLS_SERVICE_NAME ?? 'projects-api',
    version: env.APP_VERSION ?? '0.0.0',
    dataTableName,
    guardTableName,
    tenants,
    serviceCallers: env.SERVICE_CALLERS ? parseServiceCallers(env.SERVICE_CALLERS) : [],
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    ...(env.HEALTH_TOKEN_SECRET_ID ? { healthTokenSecretId: env.HEALTH_TOKEN_SECRET_ID } : {}),
    ...(env.RATE_LIMIT_STORE_TIMEOUT_MS
      ? { rateLimitStoreTimeoutMs: milliseconds(env.RATE_LIMIT_STORE_TIMEOUT_MS) }
      : {}),
  }
}

/** jwtAuth issuers: one per tenant, each pinned to its tenant so a token can never act for another one. */
export function tenantIssuers(tenants: readonly TenantIssuer[]): IssuerOptions[] {
  return tenants.map(
    ({ tenantId, issuer, audience, clientId, tokenUse, rolesClaim, jwksUri, secretId, secret }) => {
      const base = {
        issuer,
        tenantId,
        ...(audience === undefined ? {} : { audience }),
        ...(clientId === undefined ? {} : { clientId }),
        ...(tokenUse === undefined ? {} : { tokenUse }),
        ...(rolesClaim === undefined ? {} : { roles: { claim: rolesClaim } }),
      }
      if (jwksUri) return { ...base, algorithms: ['RS256', 'ES256'], jwksUri }
      if (secretId) return { ...base, algorithms: ['HS256'], secretRef: secretId }
      return { ...base, algorithms: ['HS256'], secret: secret! }
    },
  )
}

/**
 * verifySignature options for the service routes: each key id resolves to its caller's HMAC secret (from
 * Secrets Manager through `secrets`, AWSCURRENT and AWSPREVIOUS) and carries the caller's tenant.
 */
export function serviceSignatureOptions(
  callers: readonly ServiceCaller[],
  secrets: SecretsProvider,
  nonce: VerifySignatureOptions['nonce'],
  extra: Pick<VerifySignatureOptions, 'maxAgeSec' | 'now'> = {},
): VerifySignatureOptions {
  const byKeyId = new Map(callers.map((caller) => [caller.keyId, caller]))
  const keys: KeySource = (keyId) => {
    const caller = byKeyId.get(keyId)
    if (!caller) return undefined
    const identity = { principalId: caller.keyId, tenantId: caller.tenantId }
    return caller.secretId
      ? secretsManagerHmacKey(secrets, caller.secretId, identity)
      : { key: caller.secret!, alg: 'hmac-sha256', ...identity }
  }
  return { keys, ...(nonce ? { nonce } : {}), ...extra }
}

function milliseconds(value: string): number {
  const ms = Number(value)
  if (!Number.isInteger(ms) || ms < 1)
    throw new Error('RATE_LIMIT_STORE_TIMEOUT_MS must be a positive integer')
  return ms
}

function required(env: Readonly<Record<string, string | undefined>>, name: string): string {
  const value = env[name]
  if (!value) throw new Error(`${name} must be set`)
  return value
}

function jsonArray(name: string, json: string): Record<string, unknown>[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(json)
  } catch {
    throw new Error(`${name} must be a JSON array`)
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error(`${name} must be a non-empty JSON array`)
  return parsed.map((entry) => (typeof entry === 'object' && entry !== null ? entry : {}))
}

function parseServiceCallers(json: string): ServiceCaller[] {
  return jsonArray('SERVICE_CALLERS', json).map(({ keyId, tenantId, secretId }, index) => {
    if (typeof keyId !== 'string' || typeof tenantId !== 'string' || typeof secretId !== 'string')
      throw new Error(`SERVICE_CALLERS[${index}] needs keyId, tenantId and secretId`)
    return { keyId, tenantId, secretId }
  })
}

const TENANT_KEYS = new Set([
  'tenantId',
  'issuer',
  'audience',
  'clientId',
  'tokenUse',
  'rolesClaim',
  'jwksUri',
  'secretId',
])

function parseTenants(json: string): TenantIssuer[] {
  return jsonArray('TENANT_ISSUERS', json).map((entry, index) => {
    const where = `TENANT_ISSUERS[${index}]`
    assertKnownOptions(where, entry, TENANT_KEYS)
    const { tenantId, issuer, audience, clientId, tokenUse, rolesClaim, jwksUri, secretId } = entry
    if (typeof tenantId !== 'string' || typeof issuer !== 'string')
      throw new Error(`${where} needs tenantId and issuer`)
    const optional = { audience, clientId, rolesClaim, jwksUri, secretId }
    for (const [key, value] of Object.entries(optional))
      if (value !== undefined && (typeof value !== 'string' || value === ''))
        throw new Error(`${where}.${key} must be a non-empty string`)
    if (tokenUse !== undefined && tokenUse !== 'access' && tokenUse !== 'id')
      throw new Error(`${where}.tokenUse must be "access" or "id"`)
    if (audience === undefined && clientId === undefined && tokenUse === undefined)
      throw new Error(`${where} needs audience, clientId or tokenUse (Cognito access tokens carry no aud)`)
    if ((jwksUri === undefined) === (secretId === undefined))
      throw new Error(`${where} needs exactly one of jwksUri and secretId`)
    return { tenantId, issuer, ...(entry as Omit<TenantIssuer, 'tenantId' | 'issuer'>) }
  })
}
