/**
 * Why a `SecretsProviderError` was thrown (on `error.code`): not found, unavailable, no value, a binary value
 * that is not UTF-8 text, not JSON, field missing, or the AWS SDK client is not installed.
 */
export type SecretsProviderErrorCode =
  | 'secret-not-found'
  | 'secret-unavailable'
  | 'secret-no-value'
  | 'secret-not-text'
  | 'secret-not-json'
  | 'secret-field-missing'
  | 'sdk-missing'

/**
 * A failure to provide a secret. The message names the secret id and stage, never the secret value; for
 * service failures the SDK error is kept as `cause` (Secrets Manager errors never contain values).
 */
export class SecretsProviderError extends Error {
  override readonly name = 'SecretsProviderError'
  readonly code: SecretsProviderErrorCode
  readonly secretId: string
  readonly stage: string

  constructor(
    code: SecretsProviderErrorCode,
    secretId: string,
    stage: string,
    message: string,
    options?: { cause: unknown },
  ) {
    super(message, options)
    this.code = code
    this.secretId = secretId
    this.stage = stage
  }
}
