import type { IssuerOptions } from '@lift/auth-jwt'
import { type KeySource, secretsManagerHmacKey, type VerifySignatureOptions } from '@lift/request-signing'
import { createSecretsProvider } from '@lift/security-core'

/** What the stack needs to know about its token issuer. */
export interface ApiConfig {
  readonly issuer: string
  readonly audience: string
  /** Exactly one key source: a Secrets Manager secret id (deployed), a secret or a JWKS URL (local, tests). */
  readonly secretId?: string
  readonly secret?: string | Uint8Array
  readonly jwksUri?: string
  /** The signed service route (POST /service/reports); without it that route answers 404. */
  readonly service?: ServiceConfig
  /** Clock (epoch ms), for tests. */
  readonly now?: () => number
}

/** Who may call the service route: one key id and its HMAC-SHA256 secret. */
export interface ServiceConfig {
  /** The caller's key id; it becomes the principal id. */
  readonly keyId: string
  /** Exactly one key source: a Secrets Manager secret id (deployed) or the secret (local, tests). */
  readonly secretId?: string
  readonly secret?: string | Uint8Array
  /** Oldest accepted signature `created`, in seconds (verifySignature's default: 300). */
  readonly maxAgeSec?: number
}

/**
 * The configuration from the function's environment (template.yaml sets it): JWT_ISSUER, JWT_AUDIENCE and
 * JWT_SECRET_ID (an HS256 secret in AWS Secrets Manager) or JWKS_URI (an issuer signing with RS256/ES256);
 * for the signed service route SERVICE_KEY_ID and SERVICE_SIGNING_SECRET_ID (an HMAC secret in Secrets Manager).
 */
export function configFromEnv(env: Readonly<Record<string, string | undefined>>): ApiConfig {
  const issuer = env.JWT_ISSUER
  const audience = env.JWT_AUDIENCE
  if (!issuer || !audience) throw new Error('JWT_ISSUER and JWT_AUDIENCE must be set')
  const service = serviceFromEnv(env)
  const withService = service ? { service } : {}
  if (env.JWKS_URI) return { issuer, audience, jwksUri: env.JWKS_URI, ...withService }
  if (env.JWT_SECRET_ID) return { issuer, audience, secretId: env.JWT_SECRET_ID, ...withService }
  throw new Error('Set JWT_SECRET_ID (HS256 secret in Secrets Manager) or JWKS_URI')
}

function serviceFromEnv(env: Readonly<Record<string, string | undefined>>): ServiceConfig | undefined {
  const keyId = env.SERVICE_KEY_ID
  const secretId = env.SERVICE_SIGNING_SECRET_ID
  if (!keyId && !secretId) return undefined
  if (!keyId || !secretId)
    throw new Error('Set both SERVICE_KEY_ID and SERVICE_SIGNING_SECRET_ID, or neither')
  return { keyId, secretId }
}

/**
 * verifySignature options for the service route. A secret in Secrets Manager is read through a provider
 * that caches it and accepts AWSCURRENT and AWSPREVIOUS, so rotating it never refuses a caller mid-rotation.
 */
export function serviceSignatureOptions(service: ServiceConfig, now?: () => number): VerifySignatureOptions {
  const { keyId, secretId } = service
  let keys: KeySource
  if (secretId) {
    const secrets = createSecretsProvider()
    keys = (requested) =>
      requested === keyId ? secretsManagerHmacKey(secrets, secretId, { principalId: keyId }) : undefined
  } else {
    keys = { [keyId]: { key: service.secret!, alg: 'hmac-sha256', principalId: keyId } }
  }
  return {
    keys,
    ...(service.maxAgeSec === undefined ? {} : { maxAgeSec: service.maxAgeSec }),
    ...(now ? { now } : {}),
  }
}

/** The issuer entry for jwtAuth. */
export function issuerOptions(config: ApiConfig): IssuerOptions {
  const base = { issuer: config.issuer, audience: config.audience }
  if (config.jwksUri) return { ...base, algorithms: ['RS256', 'ES256'], jwksUri: config.jwksUri }
  if (config.secretId) return { ...base, algorithms: ['HS256'], secretRef: config.secretId }
  return { ...base, algorithms: ['HS256'], secret: config.secret! }
}
