import type { SecretsManagerClientLike } from './secrets-manager-sdk'
import type { SecretGetOptions, SecretsProviderOptions } from './secrets-provider'
import type { SecretsProviderError } from './secrets-provider-error'

const OPTION_NAMES = new Set(['client', 'ttlMs', 'maxStaleMs', 'now', 'clientConfig', 'onStaleServed'])
const CURRENT = 'AWSCURRENT'

export interface ResolvedSecretsProviderOptions {
  client: SecretsManagerClientLike | undefined
  clientConfig: Record<string, unknown>
  ttlMs: number
  maxStaleMs: number
  now: () => number
  onStaleServed: (error: SecretsProviderError) => void
}

export function resolveSecretsProviderOptions(
  options: SecretsProviderOptions,
  defaults: Readonly<{ ttlMs: number; maxStaleMs: number }>,
  defaultOnStaleServed: (error: SecretsProviderError) => void,
): ResolvedSecretsProviderOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createSecretsProvider: options must be an object')
  }
  for (const name of Object.keys(options)) {
    if (!OPTION_NAMES.has(name)) throw new TypeError(`createSecretsProvider: unknown option "${name}"`)
  }
  const merged = { ...defaults, ...options }
  assertDuration('ttlMs', merged.ttlMs)
  assertDuration('maxStaleMs', merged.maxStaleMs)
  if (merged.client !== undefined && typeof merged.client?.send !== 'function') {
    throw new TypeError('createSecretsProvider: client must have a send(command) method')
  }
  if (
    merged.clientConfig !== undefined &&
    (typeof merged.clientConfig !== 'object' || merged.clientConfig === null)
  ) {
    throw new TypeError('createSecretsProvider: clientConfig must be an object')
  }
  for (const name of ['now', 'onStaleServed'] as const) {
    if (merged[name] !== undefined && typeof merged[name] !== 'function') {
      throw new TypeError(`createSecretsProvider: ${name} must be a function`)
    }
  }
  return {
    client: merged.client,
    clientConfig: merged.clientConfig ?? {},
    ttlMs: merged.ttlMs,
    maxStaleMs: merged.maxStaleMs,
    now: merged.now ?? Date.now,
    onStaleServed: merged.onStaleServed ?? defaultOnStaleServed,
  }
}

function assertDuration(name: string, value: unknown): void {
  if (typeof value !== 'number' || !(value >= 0)) {
    throw new RangeError(
      `createSecretsProvider: ${name} must be a number of milliseconds >= 0, got ${String(value)}`,
    )
  }
}

export function validateGetOptions(
  secretId: string,
  options: SecretGetOptions,
): { stage: string; field: string | undefined; json: boolean } {
  assertSecretId(secretId)
  if (typeof options !== 'object' || options === null) throw new TypeError('get: options must be an object')
  const { stage = CURRENT, field, json = false } = options
  if (typeof stage !== 'string' || stage === '') throw new TypeError('get: stage must be a non-empty string')
  if (field !== undefined && (typeof field !== 'string' || field === '')) {
    throw new TypeError('get: field must be a non-empty string')
  }
  if (typeof json !== 'boolean') throw new TypeError('get: json must be a boolean')
  return { stage, field, json }
}

export function assertSecretId(secretId: unknown): void {
  if (typeof secretId !== 'string' || secretId === '') {
    throw new TypeError('secretId must be a non-empty string (a secret name or ARN)')
  }
}
