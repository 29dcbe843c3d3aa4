import { checkOptionNames } from './option-names'
import { type PlanBackend, planStore } from './plan-store'
import type { RateLimitStore } from './store'
import { APPLY_PLAN_SCRIPT, applyPlanScriptSha1, scriptArguments, snapshotOfFields } from './valkey-script'

/**
 * What valkeyStore needs of a client: `evalsha` and `eval` as ioredis and iovalkey have them.
 *
 * @example
 * ```ts
 * import type { ValkeyClientLike } from '@lift/rate-limit'
 * import Redis from 'ioredis'
 *
 * const client: ValkeyClientLike = new Redis('redis://127.0.0.1:6379', { commandTimeout: 400 })
 * ```
 */
export interface ValkeyClientLike {
  evalsha(sha1: string, numKeys: number, ...args: string[]): Promise<unknown>
  eval(script: string, numKeys: number, ...args: string[]): Promise<unknown>
}

/**
 * Options of {@link valkeyStore}; unknown keys are construction errors.
 *
 * @example
 * ```ts
 * import { type ValkeyStoreOptions, valkeyStore } from '@lift/rate-limit'
 * import Redis from 'ioredis'
 *
 * const options: ValkeyStoreOptions = { client: new Redis(), keyPrefix: 'limits:' }
 * const store = valkeyStore(options)
 * ```
 */
export interface ValkeyStoreOptions {
  /** An ioredis or iovalkey client (`new Redis(url)`), or a Cluster: each key is one hash, one slot. */
  client: ValkeyClientLike
  /** Prefix of the stored keys, so that one database can hold other data. Default 'rl#'. */
  keyPrefix?: string
  /** Keys whose last seen state this container remembers (it saves round trips, never decides alone). Default 10 000. */
  maxCachedKeys?: number
  /** Script runs tried per request before giving up (a store error). Default 8. */
  maxAttempts?: number
}

/**
 * The defaults of {@link valkeyStore} (frozen).
 *
 * @example
 * ```ts
 * import { valkeyStoreDefaults } from '@lift/rate-limit'
 *
 * valkeyStoreDefaults.keyPrefix // 'rl#'
 * ```
 */
export const valkeyStoreDefaults = Object.freeze({ keyPrefix: 'rl#', maxCachedKeys: 10_000, maxAttempts: 8 })

const OPTION_NAMES: ReadonlySet<string> = new Set(['client', 'keyPrefix', 'maxCachedKeys', 'maxAttempts'])

/**
 * Counts in Valkey or Redis (ElastiCache, MemoryDB), one hash per key, with the same algorithms, exactness
 * and all-or-nothing rules as dynamoStore: each write is one Lua script (EVALSHA, EVAL when the server does
 * not have it cached yet) that checks the plan's clauses and applies it atomically, and answers with the
 * hash either way, so a refusal never takes a second round trip. Lift imports no client: pass your ioredis
 * or iovalkey instance (an optional peer dependency). Set the client's `commandTimeout` at or below
 * `storeTimeoutMs`: the middleware stops waiting at its deadline, but a Valkey command cannot be aborted.
 *
 * @example
 * ```ts
 * import { valkeyStore } from '@lift/rate-limit'
 * import Redis from 'ioredis'
 *
 * const store = valkeyStore({ client: new Redis(process.env.VALKEY_URL ?? 'redis://127.0.0.1:6379') })
 * ```
 */
export function valkeyStore(options: ValkeyStoreOptions): RateLimitStore {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('valkeyStore: options must be an object')
  checkOptionNames(options, OPTION_NAMES, 'valkeyStore')
  const { client } = options
  if (typeof client?.evalsha !== 'function' || typeof client.eval !== 'function')
    throw new TypeError('valkeyStore: client must be an ioredis or iovalkey client (evalsha and eval)')
  const keyPrefix = options.keyPrefix ?? valkeyStoreDefaults.keyPrefix
  if (typeof keyPrefix !== 'string') throw new TypeError('valkeyStore: keyPrefix must be a string')
  const maxCachedKeys = positiveInteger(
    'maxCachedKeys',
    options.maxCachedKeys ?? valkeyStoreDefaults.maxCachedKeys,
  )
  const maxAttempts = positiveInteger('maxAttempts', options.maxAttempts ?? valkeyStoreDefaults.maxAttempts)

  const run = async (key: string, args: string[]): Promise<unknown> => {
    try {
      return await client.evalsha(applyPlanScriptSha1(), 1, key, ...args)
    } catch (error) {
      // A server that restarted, failed over or never ran the script: EVAL sends it (and caches it).
      if (!String((error as Error | undefined)?.message).startsWith('NOSCRIPT')) throw error
      return client.eval(APPLY_PLAN_SCRIPT, 1, key, ...args)
    }
  }

  const backend: PlanBackend = {
    ready: () => Promise.resolve(),
    async apply(key, plan, now) {
      const reply = await run(keyPrefix + key, scriptArguments(plan, now))
      if (!Array.isArray(reply)) throw new Error('valkeyStore: unexpected script reply')
      return { applied: Number(reply[0]) === 1, snapshot: snapshotOfFields(reply[1]) }
    },
  }
  return planStore(backend, { owner: 'valkeyStore', maxCachedKeys, maxAttempts })
}

function positiveInteger(name: string, value: unknown): number {
  if (!Number.isSafeInteger(value) || (value as number) < 1)
    throw new RangeError(`valkeyStore: ${name} must be a positive integer`)
  return value as number
}
