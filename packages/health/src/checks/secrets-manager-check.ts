import { createSecretsProvider, type SecretsProvider, SecretsProviderError } from '@lift/security-core'
import type { HealthCheckDefinition } from '../check-definition'
import { assertOptionsObject, type BuiltInCheckOptions, commonSettings } from './check-options'

/**
 * Options of `secretsManagerCheck()`: the secret, and the application's provider so the check uses its cache.
 * @example
 * ```ts
 * import { secretsManagerCheck } from '@lift/health'
 * import { createSecretsProvider } from '@lift/security-core'
 *
 * secretsManagerCheck({ secretId: 'prod/api-key', provider: createSecretsProvider() })
 * ```
 */
export interface SecretsManagerCheckOptions extends BuiltInCheckOptions {
  secretId: string
  /** The provider the application already uses, so that the check is answered from its cache. */
  provider?: SecretsProvider
}

/**
 * Reads the secret through a core SecretsProvider: with the application's provider, a check inside the
 * cache TTL makes no call at all. The value is never looked at beyond "it is there", and never reported.
 * Key `secretsmanager:responseTime` unless `name` is given.
 * @example
 * ```ts
 * import { healthCheck, secretsManagerCheck } from '@lift/health'
 * import { createSecretsProvider } from '@lift/security-core'
 *
 * const secrets = createSecretsProvider()
 * healthCheck({ checks: [secretsManagerCheck({ secretId: 'prod/api-key', provider: secrets })] })
 * ```
 */
export function secretsManagerCheck(options: SecretsManagerCheckOptions): HealthCheckDefinition {
  assertOptionsObject(options, 'secretsManagerCheck')
  const { secretId } = options
  if (typeof secretId !== 'string' || secretId === '')
    throw new TypeError('secretsManagerCheck: secretId must be a non-empty string (a name or ARN)')
  if (options.provider !== undefined && typeof options.provider?.get !== 'function')
    throw new TypeError('secretsManagerCheck: provider must be a SecretsProvider (createSecretsProvider())')
  const provider = options.provider ?? createSecretsProvider()
  return {
    name: options.name ?? 'secretsmanager:responseTime',
    componentType: 'component',
    componentId: secretId,
    ...commonSettings(options),
    check: async () => {
      try {
        await provider.get(secretId)
        return { status: 'pass' }
      } catch (error) {
        if (!(error instanceof SecretsProviderError)) return { status: 'fail', output: 'secret unavailable' }
        return {
          status: 'fail',
          output:
            error.code === 'secret-not-found' ? 'secret not found' : `secret unavailable (${error.code})`,
        }
      }
    },
  }
}
