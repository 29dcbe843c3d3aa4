import { type KeyResolver, secretsManagerHmacKey } from '@lift/request-signing'
import type { SecretsProvider } from '@lift/security-core'

/**
 * The callee's keys: the one key id it trusts, backed by the shared HMAC secret. AWSCURRENT and, during a
 * rotation, AWSPREVIOUS verify, so a caller still holding the old value keeps working until its cache expires.
 */
export function sharedSecretKeys(secrets: SecretsProvider, secretId: string, keyId: string): KeyResolver {
  return (requested) =>
    requested === keyId ? secretsManagerHmacKey(secrets, secretId, { principalId: keyId }) : undefined
}

/** The caller's signing key: the AWSCURRENT value of the shared secret (cached by the provider). */
export function sharedSecretSigningKey(secrets: SecretsProvider, secretId: string): () => Promise<string> {
  return async () => {
    const value = await secrets.get(secretId)
    if (typeof value !== 'string' || value === '') throw new Error(`Secret ${secretId} holds no string value`)
    return value
  }
}
