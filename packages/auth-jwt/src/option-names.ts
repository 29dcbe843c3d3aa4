import type { AuthorizeOptions, Requirement } from './authorize'
import type { JwtAuthorizerOptions } from './authorizer'
import type {
  IssuerCacheOptions,
  IssuerOptions,
  JwksOptions,
  JwtAuthOptions,
  RolesOptions,
  ScopesOptions,
  SecretRef,
  TenantOptions,
  TokenCacheOptions,
} from './options'

// The names every public option object accepts; any other key is a construction error naming it. Each
// list is typed as a record over the interface's keys, so a new option fails to compile until it is listed
// here: adding an option is one line in its interface and one line here.
type Names<T> = Readonly<Record<keyof T, true>>

export const JWT_AUTH_OPTIONS: Names<JwtAuthOptions> = {
  issuers: true,
  token: true,
  tenant: true,
  roles: true,
  scopes: true,
  clockToleranceSec: true,
  maxTokenBytes: true,
  cache: true,
  credentialsOptional: true,
  jwks: true,
  secretsProvider: true,
  realm: true,
  now: true,
  issuerCache: true,
  trustApiGatewayClaims: true,
}

// The jwtAuth options an authorizer takes too (not credentialsOptional, trustApiGatewayClaims, realm), listed
// rather than computed, so that importing this module runs nothing and a bundle can leave it out.
export const JWT_AUTHORIZER_OPTIONS: Names<JwtAuthorizerOptions> = {
  issuers: true,
  token: true,
  tenant: true,
  roles: true,
  scopes: true,
  clockToleranceSec: true,
  maxTokenBytes: true,
  cache: true,
  jwks: true,
  secretsProvider: true,
  now: true,
  issuerCache: true,
  policyResource: true,
}

export const ISSUER_OPTIONS: Names<IssuerOptions> = {
  issuer: true,
  audience: true,
  clientId: true,
  tokenUse: true,
  claims: true,
  algorithms: true,
  jwksUri: true,
  discovery: true,
  publicKey: true,
  secret: true,
  secretRef: true,
  tenantId: true,
  roles: true,
  scopes: true,
  typ: true,
  requiredClaims: true,
  maxTokenAgeSec: true,
}

export const JWKS_OPTIONS: Names<JwksOptions> = {
  timeoutMs: true,
  cooldownMs: true,
  cacheMaxAgeMs: true,
  maxBytes: true,
  failureCooldownMs: true,
  staleIfErrorMs: true,
}

export const ISSUER_CACHE_OPTIONS: Names<IssuerCacheOptions> = {
  maxEntries: true,
  ttlSec: true,
  negativeTtlSec: true,
  timeoutMs: true,
}

export const TENANT_OPTIONS: Names<TenantOptions> = { claim: true, fromRequest: true, required: true }
export const ROLES_OPTIONS: Names<RolesOptions> = { claim: true, map: true }
export const SCOPES_OPTIONS: Names<ScopesOptions> = { claim: true }
export const CACHE_OPTIONS: Names<TokenCacheOptions> = { maxEntries: true, maxTtlSec: true }
export const SECRET_REF_OPTIONS: Names<SecretRef> = { secretId: true, field: true }
/** Every key any TokenSource variant has; validTokenSource() then requires exactly one kind. */
export const TOKEN_SOURCE_OPTIONS = { header: true, scheme: true, cookie: true, query: true } as const

export const AUTHORIZE_OPTIONS: Names<AuthorizeOptions> = {
  roles: true,
  scopes: true,
  tenant: true,
  requestTenant: true,
  check: true,
  realm: true,
  now: true,
}
export const REQUIREMENT_OPTIONS: Names<Requirement> = { anyOf: true, allOf: true }
