import { assertKnownOptions } from './known-options'
import type { SecretsManagerClientLike } from './secrets-manager-sdk'
import type { SecretGetOptions, SecretsProviderOptions } from './secrets-provider'
import type { SecretsProviderError } from './secrets-provider-error'

const OPTION_NAMES = new Set([
  'client',
  'ttlMs',
  'maxStaleMs',
  'timeoutMs',
  'refreshCooldownMs',
  'now',
  'clientConfig',
  'onStaleServed',
])
const GET_OPTION_NAMES = new Set(['field', 'json', 'stage'])
const CURRENT = 'AWSCURRENT'

export interface ResolvedSecretsProviderOptions {
  client: SecretsManagerClientLike | undefined
  clientConfig: Record<string, unknown>
  ttlMs: number
  maxStaleMs: number
  timeoutMs: number
  refreshCooldownMs: number
  now: () => number
  onStaleServed: (error: SecretsProviderError) => void
}

export function resolveSecretsProviderOptions(
  options: SecretsProviderOptions,
  defaults: Readonly<{ ttlMs: number; maxStaleMs: number; timeoutMs: number; refreshCooldownMs: number }>,
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
  assertDuration('timeoutMs', merged.timeoutMs)
  assertDuration('refreshCooldownMs', merged.refreshCooldownMs)
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
    timeoutMs: merged.timeoutMs,
    refreshCooldownMs: merged.refreshCooldownMs,
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
  assertSecretId(secretId, 'get')
  if (typeof options !== 'object' || options === null) throw new TypeError('get: options must be an object')
  assertKnownOptions('get', options, GET_OPTION_NAMES)
  const { stage = CURRENT, field, json = false } = options
  if (typeof stage !== 'string' || stage === '') throw new TypeError('get: stage must be a non-empty string')
  if (field !== undefined && (typeof field !== 'string' || field === '')) {
    throw new TypeError('get: field must be a non-empty string')
  }
  if (typeof json !== 'boolean') throw new TypeError('get: json must be a boolean')
  return { stage, field, json }
}

/** `where` names the call, e.g. `get` or `prefetch (secretIds[2])`; the message says what arrived, never a value. */
export function assertSecretId(secretId: unknown, where: string): void {
  if (typeof secretId !== 'string' || secretId === '') {
    const got =
      secretId === undefined || secretId === null
        ? String(secretId)
        : secretId === ''
          ? 'an empty string'
          : `a ${typeof secretId}`
    throw new TypeError(
      `${where}: secretId must be a non-empty string (a secret name or ARN), got ${got}; an unset environment variable reads as undefined`,
    )
  }
}
