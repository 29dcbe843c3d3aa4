import type { IssuerOptions } from '@lift/auth-jwt'

/** What the stack needs to know about its token issuer. */
export interface ApiConfig {
  readonly issuer: string
  readonly audience: string
  /** Exactly one key source: a Secrets Manager secret id (deployed), a secret or a JWKS URL (local, tests). */
  readonly secretId?: string
  readonly secret?: string | Uint8Array
  readonly jwksUri?: string
  /** Clock (epoch ms), for tests. */
  readonly now?: () => number
}

/**
 * The configuration from the function's environment (template.yaml sets it): JWT_ISSUER, JWT_AUDIENCE and
 * JWT_SECRET_ID (an HS256 secret in AWS Secrets Manager) or JWKS_URI (an issuer signing with RS256/ES256).
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const issuer = env.JWT_ISSUER
  const audience = env.JWT_AUDIENCE
  if (!issuer || !audience) throw new Error('JWT_ISSUER and JWT_AUDIENCE must be set')
  if (env.JWKS_URI) return { issuer, audience, jwksUri: env.JWKS_URI }
  if (env.JWT_SECRET_ID) return { issuer, audience, secretId: env.JWT_SECRET_ID }
  throw new Error('Set JWT_SECRET_ID (HS256 secret in Secrets Manager) or JWKS_URI')
}

/** The issuer entry for jwtAuth. */
export function issuerOptions(config: ApiConfig): IssuerOptions {
  const base = { issuer: config.issuer, audience: config.audience }
  if (config.jwksUri) return { ...base, algorithms: ['RS256', 'ES256'], jwksUri: config.jwksUri }
  if (config.secretId) return { ...base, algorithms: ['HS256'], secretRef: config.secretId }
  return { ...base, algorithms: ['HS256'], secret: config.secret! }
}
