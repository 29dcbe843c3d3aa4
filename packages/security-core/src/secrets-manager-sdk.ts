import { SecretsProviderError } from './secrets-provider-error'

/** The part of a SecretsManagerClient the provider uses. */
export interface SecretsManagerClientLike {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>
}

export interface SecretsManagerApi {
  client: SecretsManagerClientLike
  GetSecretValueCommand: new (input: { SecretId: string; VersionStage: string }) => unknown
}

/**
 * Imports @aws-sdk/client-secrets-manager (an optional peer dependency) on first use, so that loading
 * @lift/security-core never loads the SDK, and creates the client unless one was injected.
 */
export async function loadSecretsManager(
  injectedClient: SecretsManagerClientLike | undefined,
  clientConfig: Record<string, unknown>,
  secretId: string,
  stage: string,
): Promise<SecretsManagerApi> {
  let sdk: typeof import('@aws-sdk/client-secrets-manager')
  try {
    sdk = await import('@aws-sdk/client-secrets-manager')
  } catch (error) {
    throw new SecretsProviderError(
      'sdk-missing',
      secretId,
      stage,
      `createSecretsProvider needs the optional peer dependency @aws-sdk/client-secrets-manager to get secret "${secretId}": install it`,
      { cause: error },
    )
  }
  return {
    client: injectedClient ?? new sdk.SecretsManagerClient(clientConfig),
    GetSecretValueCommand: sdk.GetSecretValueCommand,
  }
}
