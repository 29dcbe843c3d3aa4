import {
  loadSecretsManager,
  type SecretsManagerApi,
  type SecretsManagerClientLike,
} from './secrets-manager-sdk'
import { SecretsProviderError } from './secrets-provider-error'
import { assertSecretId, resolveSecretsProviderOptions, validateGetOptions } from './secrets-provider-options'
import { TtlLruCache } from './ttl-lru-cache'

/**
 * Options of `createSecretsProvider`: the client (or its configuration), cache lifetimes and the clock.
 * @example
 * ```ts
 * import { createSecretsProvider } from '@lift/security-core'
 *
 * const secrets = createSecretsProvider({ ttlMs: 60_000, clientConfig: { region: 'eu-west-1' } })
 * ```
 */
export interface SecretsProviderOptions {
  /** A Secrets Manager client (e.g. `new SecretsManagerClient(...)`); created lazily from clientConfig otherwise. */
  client?: SecretsManagerClientLike
  /** How long a fetched value is used without asking again. Default 300 000 (5 min). */
  ttlMs?: number
  /** How long after expiry a cached value still answers when a refresh fails. Default 3 600 000 (1 h). */
  maxStaleMs?: number
  /** How long one GetSecretValue call may take before it counts as failed (and a stale value answers); 0 = no limit. Default 2 000. */
  timeoutMs?: number
  /** Clock in epoch milliseconds. Default Date.now. */
  now?: () => number
  /** Configuration for the lazily created SecretsManagerClient (region, endpoint, credentials…). */
  clientConfig?: Record<string, unknown>
  /** After `refresh(secretId)` asked Secrets Manager, further refreshes of that secret do not for this long. Default 30 000. */
  refreshCooldownMs?: number
  /** Told each time a failed refresh is answered from the stale cache. Default: a process warning. */
  onStaleServed?: (error: SecretsProviderError) => void
}

/**
 * How `SecretsProvider.get` reads a secret: a version stage, and the value as JSON or one of its fields.
 * @example
 * ```ts
 * import { createSecretsProvider } from '@lift/security-core'
 *
 * const secrets = createSecretsProvider()
 * const password = await secrets.get('prod/db', { field: 'password', stage: 'AWSPREVIOUS' })
 * ```
 */
export interface SecretGetOptions {
  /** Parse the secret as JSON and return this top-level field. */
  field?: string
  /** Parse the secret as JSON and return the (frozen) result. */
  json?: boolean
  /** Version stage. Default 'AWSCURRENT'. */
  stage?: 'AWSCURRENT' | 'AWSPREVIOUS' | (string & {})
}

/**
 * Reads AWS Secrets Manager secrets through a TTL cache; made by `createSecretsProvider`.
 */
export interface SecretsProvider {
  /** The secret string, or the parsed JSON / field value when `json` or `field` is given. */
  get(secretId: string, options?: SecretGetOptions): Promise<unknown>
  /** AWSCURRENT and, when the secret has one, AWSPREVIOUS: verify against both during a rotation. */
  getRotating(
    secretId: string,
    options?: Omit<SecretGetOptions, 'stage'>,
  ): Promise<{ current: unknown; previous?: unknown }>
  /**
   * Re-reads AWSCURRENT bypassing the cache, for a signature that matched neither cached value: a signer may
   * already use a rotation this cache has not seen. At most one read per secret per `refreshCooldownMs`,
   * shared by concurrent calls. Resolves true when AWSCURRENT changed (the next getRotating then reads
   * AWSPREVIOUS again too), false when unchanged or cooling down; rejects when the read fails (the cache keeps
   * its values). Optional in the interface so that other implementations stay valid; verifiers skip it when absent.
   */
  refresh?(secretId: string): Promise<boolean>
  /** Fetches the AWSCURRENT values into the cache (at cold start); rejects when one cannot be fetched. */
  prefetch(secretIds: readonly string[]): Promise<void>
}

/**
 * Defaults of `createSecretsProvider`: a value is used 5 minutes, and answers up to 1 hour more when a refresh
 * fails; a call that has no answer after 2 seconds has failed; `refresh` asks at most every 30 seconds.
 */
export const secretsProviderDefaults: Readonly<{
  ttlMs: number
  maxStaleMs: number
  timeoutMs: number
  refreshCooldownMs: number
}> = Object.freeze({
  ttlMs: 300_000,
  maxStaleMs: 3_600_000,
  timeoutMs: 2_000,
  refreshCooldownMs: 30_000,
})

const CURRENT = 'AWSCURRENT'
const PREVIOUS = 'AWSPREVIOUS'
const MAX_CACHED_SECRETS = 1000

type CacheEntry =
  | { found: true; fetchedAt: number; text: string; json?: ParsedJson }
  | { found: false; fetchedAt: number; deleted?: true }
type ParsedJson = { ok: true; value: unknown } | { ok: false }

/**
 * AWS Secrets Manager behind a TTL cache, with one in-flight request per secret and stage, and
 * stale-if-error: when a refresh fails, the expired value answers for up to maxStaleMs more.
 * @example
 * ```ts
 * import { createSecretsProvider } from '@lift/security-core'
 *
 * const secrets = createSecretsProvider()
 * const { current, previous } = await secrets.getRotating('prod/hmac-key')
 * ```
 */
export function createSecretsProvider(
  options: SecretsProviderOptions = {},
): SecretsProvider & Required<Pick<SecretsProvider, 'refresh'>> {
  const config = resolveSecretsProviderOptions(options, secretsProviderDefaults, warnStaleServed)
  // Bounded like the AWS Parameters and Secrets Lambda Extension's cache: ids built from request input (a
  // keyid) would otherwise grow it without limit, one cached "not found" per id an attacker sends. Entries
  // age by their own `fetchedAt` (stale-if-error reads past the TTL), so the caches themselves never expire.
  const bounded = { maxEntries: MAX_CACHED_SECRETS, ttlMs: Number.POSITIVE_INFINITY }
  const entries = new TtlLruCache<string, CacheEntry>(bounded)
  const inflight = new Map<string, Promise<CacheEntry>>()
  const refreshes = new TtlLruCache<string, { at: number; pending?: Promise<boolean> }>(bounded)
  let api: Promise<SecretsManagerApi> | undefined

  function secretsManager(secretId: string, stage: string): Promise<SecretsManagerApi> {
    api ??= loadSecretsManager(config.client, config.clientConfig, secretId, stage).catch(
      (error: unknown) => {
        api = undefined
        throw error
      },
    )
    return api
  }

  /** `notBefore`: a cached entry requested earlier than this is refreshed even within its TTL. */
  function loadEntry(secretId: string, stage: string, notBefore = -Infinity): Promise<CacheEntry> {
    const cached = freshEntry(secretId, stage)
    if (cached !== undefined && cached.fetchedAt >= notBefore) return Promise.resolve(cached)
    const key = cacheKey(stage, secretId)
    const pending = inflight.get(key)
    if (pending !== undefined) return pending
    const request = refresh(secretId, stage, key, entries.get(key)).finally(() => inflight.delete(key))
    inflight.set(key, request)
    return request
  }

  function freshEntry(secretId: string, stage: string): CacheEntry | undefined {
    const cached = entries.get(cacheKey(stage, secretId))
    return cached !== undefined && config.now() - cached.fetchedAt < config.ttlMs ? cached : undefined
  }

  async function refresh(
    secretId: string,
    stage: string,
    key: string,
    stale: CacheEntry | undefined,
  ): Promise<CacheEntry> {
    let entry: CacheEntry
    try {
      entry = await fetchEntry(await secretsManager(secretId, stage), secretId, stage, config)
    } catch (error) {
      if (stale !== undefined && config.now() - stale.fetchedAt < config.ttlMs + config.maxStaleMs) {
        config.onStaleServed(error as SecretsProviderError)
        return stale
      }
      throw error
    }
    entries.set(key, entry)
    return entry
  }

  async function reread(secretId: string): Promise<boolean> {
    const key = cacheKey(CURRENT, secretId)
    const entry = await fetchEntry(await secretsManager(secretId, CURRENT), secretId, CURRENT, config)
    const cached = entries.get(key)
    // Unchanged: the entry keeps its age, so getRotating does not read AWSPREVIOUS again.
    if (cached?.found && entry.found && cached.text === entry.text) return false
    entries.set(key, entry)
    // AWSPREVIOUS must now be read again (getRotating reads it when older than AWSCURRENT), even within the
    // same millisecond; the old entry stays as its stale-if-error fallback.
    const previousKey = cacheKey(PREVIOUS, secretId)
    const previous = entries.get(previousKey)
    if (previous !== undefined && previous.fetchedAt >= entry.fetchedAt) {
      entries.set(previousKey, { ...previous, fetchedAt: entry.fetchedAt - 1 })
    }
    return true
  }

  return {
    async get(secretId, getOptions = {}) {
      const { stage, field, json } = validateGetOptions(secretId, getOptions)
      return selectValue(await loadEntry(secretId, stage), secretId, stage, field, json)
    },

    async getRotating(secretId, getOptions = {}) {
      const { field, json } = validateGetOptions(secretId, { ...getOptions, stage: CURRENT })
      // AWSPREVIOUS must be requested no earlier than AWSCURRENT: an AWSCURRENT newer than a rotation next
      // to an AWSPREVIOUS from before it would drop the value just replaced, the one most signers still use.
      const notBefore = freshEntry(secretId, CURRENT)?.fetchedAt ?? config.now()
      const [current, previous] = await Promise.all([
        loadEntry(secretId, CURRENT),
        loadEntry(secretId, PREVIOUS, notBefore),
      ])
      const currentValue = selectValue(current, secretId, CURRENT, field, json)
      if (!previous.found) return { current: currentValue }
      return { current: currentValue, previous: selectValue(previous, secretId, PREVIOUS, field, json) }
    },

    refresh(secretId) {
      assertSecretId(secretId, 'refresh')
      const state = refreshes.get(secretId)
      if (state?.pending !== undefined) return state.pending
      // The cooldown counts from every read, failed ones too: bad signatures cannot make it ask more often.
      if (state !== undefined && config.now() - state.at < config.refreshCooldownMs) {
        return Promise.resolve(false)
      }
      const next: { at: number; pending?: Promise<boolean> } = { at: config.now() }
      next.pending = reread(secretId).finally(() => {
        next.pending = undefined
      })
      refreshes.set(secretId, next)
      return next.pending
    },

    async prefetch(secretIds) {
      if (!Array.isArray(secretIds)) throw new TypeError('prefetch: secretIds must be an array of secret ids')
      secretIds.forEach((secretId, index) => {
        assertSecretId(secretId, `prefetch (secretIds[${index}])`)
      })
      await Promise.all(
        secretIds.map(async (secretId) => {
          const entry = await loadEntry(secretId, CURRENT)
          if (!entry.found) throw notFound(entry, secretId, CURRENT)
        }),
      )
    },
  }
}

function cacheKey(stage: string, secretId: string): string {
  return `${stage}\u0000${secretId}`
}

async function fetchEntry(
  { client, GetSecretValueCommand }: SecretsManagerApi,
  secretId: string,
  stage: string,
  { now, timeoutMs }: { now: () => number; timeoutMs: number },
): Promise<CacheEntry> {
  // The time the request was sent: the value is at least as new as that (getRotating orders stages by it).
  const sentAt = now()
  let response: unknown
  try {
    response = await sendWithin(
      client,
      new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage }),
      timeoutMs,
    )
  } catch (error) {
    // Not found is an answer (the secret or this stage does not exist), not an outage: it is cached. So is
    // InvalidRequestException, GetSecretValue's answer for a secret scheduled for deletion (DeleteSecret's
    // recovery window): a deleted key must stop working, not be answered stale.
    const name = (error as { name?: unknown } | null)?.name
    if (name === 'ResourceNotFoundException') return { found: false, fetchedAt: sentAt }
    if (name === 'InvalidRequestException') return { found: false, fetchedAt: sentAt, deleted: true }
    // An answer the SDK could not parse may be the secret itself: its parser message quotes it, and the
    // error keeps the raw body ($response, $responseBodyText), so neither is passed on.
    const unparsed = isUnparsedAnswer(error)
    throw new SecretsProviderError(
      'secret-unavailable',
      secretId,
      stage,
      `Could not get secret "${secretId}" (stage ${stage}) from Secrets Manager: ${
        unparsed ? 'the answer could not be parsed' : describeError(error)
      }`,
      unparsed ? undefined : { cause: error },
    )
  }
  return { found: true, fetchedAt: sentAt, text: secretText(response, secretId, stage) }
}

/**
 * The SDK has no overall timeout by default (an unanswered connection waits minutes), which would hold every
 * request on the single-flight fetch and never reach the stale value: the call is aborted after timeoutMs.
 */
async function sendWithin(
  client: SecretsManagerClientLike,
  command: unknown,
  timeoutMs: number,
): Promise<unknown> {
  // 0 means no timeout; setTimeout would fire at once for more than 2^31 - 1 ms.
  if (!(timeoutMs > 0 && timeoutMs < 2 ** 31)) return client.send(command)
  const abortSignal = AbortSignal.timeout(timeoutMs)
  // Raced as well, for an injected client that ignores the signal.
  const timeout = new Promise<never>((_, reject) => {
    abortSignal.onabort = () => reject(abortSignal.reason)
  })
  return Promise.race([client.send(command, { abortSignal }), timeout])
}

function secretText(response: unknown, secretId: string, stage: string): string {
  const { SecretString, SecretBinary } = (response ?? {}) as {
    SecretString?: unknown
    SecretBinary?: unknown
  }
  if (typeof SecretString === 'string') return SecretString
  if (ArrayBuffer.isView(SecretBinary)) {
    try {
      return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
        new Uint8Array(SecretBinary.buffer, SecretBinary.byteOffset, SecretBinary.byteLength),
      )
    } catch {
      // A lenient decode would turn every invalid byte into U+FFFD: a different key, and a weaker one.
      throw new SecretsProviderError(
        'secret-not-text',
        secretId,
        stage,
        `Secret "${secretId}" (stage ${stage}) is a SecretBinary that is not UTF-8 text`,
      )
    }
  }
  throw new SecretsProviderError(
    'secret-no-value',
    secretId,
    stage,
    `Secret "${secretId}" (stage ${stage}) has neither SecretString nor SecretBinary`,
  )
}

function selectValue(
  entry: CacheEntry,
  secretId: string,
  stage: string,
  field: string | undefined,
  json: boolean,
): unknown {
  if (!entry.found) throw notFound(entry, secretId, stage)
  if (field === undefined && !json) return entry.text
  entry.json ??= parseJson(entry.text)
  if (!entry.json.ok) {
    // No cause: JSON.parse messages quote the input, which is the secret.
    throw new SecretsProviderError(
      'secret-not-json',
      secretId,
      stage,
      `Secret "${secretId}" (stage ${stage}) is not valid JSON`,
    )
  }
  const parsed = entry.json.value
  if (field === undefined) return parsed
  if (
    typeof parsed !== 'object' ||
    parsed === null ||
    Array.isArray(parsed) ||
    !Object.hasOwn(parsed, field)
  ) {
    throw new SecretsProviderError(
      'secret-field-missing',
      secretId,
      stage,
      `Secret "${secretId}" (stage ${stage}) has no field "${field}"`,
    )
  }
  return (parsed as Record<string, unknown>)[field]
}

function parseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: deepFreeze(JSON.parse(text)) }
  } catch {
    return { ok: false }
  }
}

function deepFreeze(value: unknown): unknown {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item)
    Object.freeze(value)
  }
  return value
}

function notFound(entry: { deleted?: true }, secretId: string, stage: string): SecretsProviderError {
  return new SecretsProviderError(
    'secret-not-found',
    secretId,
    stage,
    `Secret "${secretId}" (stage ${stage}) ${entry.deleted ? 'is scheduled for deletion' : 'was not found'} in Secrets Manager`,
  )
}

/** A deserialization failure of the AWS SDK: it carries the raw response, unlike a service exception ($fault). */
function isUnparsedAnswer(error: unknown): boolean {
  return typeof error === 'object' && error !== null && '$response' in error && !('$fault' in error)
}

function describeError(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown }
  return typeof name === 'string' && typeof message === 'string' ? `${name}: ${message}` : String(error)
}

function warnStaleServed(error: SecretsProviderError): void {
  process.emitWarning(`${error.message}; answering from the expired cached value`, {
    code: 'LIFT_SECRET_STALE',
  })
}
