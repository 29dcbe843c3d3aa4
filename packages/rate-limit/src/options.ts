import type { HttpRequestView, Principal } from '@lift/security-core'
import type { HeaderOptions } from './headers'
import type { RateLimitKey } from './keys'
import { checkOptionNames } from './option-names'
import { type RateLimitRule, type ResolvedRules, resolveRules } from './rules'
import type { RateLimitStore } from './store'

/** The rules of a request: a fixed list, or chosen per request (per plan, per tenant, per route). */
export type RateLimitRules =
  | readonly RateLimitRule[]
  | ((principal: Principal | undefined, view: HttpRequestView) => readonly RateLimitRule[])

/** Units a request consumes: a positive integer, or a function returning one. */
export type RateLimitCost = number | ((view: HttpRequestView, principal: Principal | undefined) => number)

/** Receives store failures and configuration errors; never keys, tokens or request contents. */
export type RateLimitLogger = (message: string, detail: Readonly<Record<string, unknown>>) => void

/**
 * Options of `rateLimit()`: the limits, the key they count per, the store, and what a store failure does.
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
 * import { dynamoStore, rateLimit } from '@lift/rate-limit'
 *
 * const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}))
 * rateLimit({
 *   key: 'principal',
 *   limits: [
 *     { name: 'minute', limit: 600, windowSec: 60, algorithm: 'sliding-window' },
 *     { name: 'burst', limit: 20, windowSec: 1, algorithm: 'token-bucket' },
 *   ],
 *   store: dynamoStore({ tableName: 'rate-limits', documentClient }),
 *   onStoreError: 'allow',
 *   storeTimeoutMs: 300,
 * })
 * ```
 */
export interface RateLimitOptions {
  limits: RateLimitRules
  key: RateLimitKey
  store: RateLimitStore
  /** Default 1. */
  cost?: RateLimitCost
  /**
   * What happens when the store fails or times out: admit from a small local budget ('allow', default; see
   * `failOpenShare`) or answer 503 ('deny').
   */
  onStoreError?: 'allow' | 'deny'
  /**
   * With `onStoreError: 'allow'`: the share of every limit one container may admit per window for a key whose
   * store failed, until the store answers for it again (at least one unit). Beyond it, 429. Default 0.02 (1/50).
   */
  failOpenShare?: number
  /** Longest wait for the store, SDK retries included, in whole milliseconds (at most 2^31 - 1). Default 500. */
  storeTimeoutMs?: number
  headers?: HeaderOptions
  /** Keys remembered as blocked (over a limit until its reset) so that they are refused without a store call; 0 turns it off. Default 10 000. */
  blockCacheMaxKeys?: number
  /** Default: one line to console.error. */
  logger?: RateLimitLogger
  /** Clock in epoch milliseconds. Default Date.now. */
  now?: () => number
}

/**
 * Defaults of `rateLimit()`: cost 1, fail open on store errors after 500 ms, IETF headers only, 10 000 blocked keys cached.
 */
export const rateLimitDefaults = Object.freeze({
  cost: 1,
  onStoreError: 'allow' as const,
  failOpenShare: 0.02,
  storeTimeoutMs: 500,
  headers: Object.freeze({ standard: true, legacy: false }),
  blockCacheMaxKeys: 10_000,
})

export interface ResolvedRateLimitOptions {
  rules: ResolvedRules | ((principal: Principal | undefined, view: HttpRequestView) => unknown)
  key: RateLimitKey
  store: RateLimitStore
  cost: RateLimitCost
  onStoreError: 'allow' | 'deny'
  failOpenShare: number
  storeTimeoutMs: number
  headers: Required<HeaderOptions>
  blockCacheMaxKeys: number
  logger: RateLimitLogger
  now: () => number
}

const OPTION_NAMES: ReadonlySet<string> = new Set([
  'limits',
  'key',
  'store',
  'cost',
  'onStoreError',
  'failOpenShare',
  'storeTimeoutMs',
  'headers',
  'blockCacheMaxKeys',
  'logger',
  'now',
])

const HEADER_NAMES: ReadonlySet<string> = new Set(['standard', 'legacy'])
/** The longest delay setTimeout honours (2^31 - 1 ms). */
const MAX_TIMER_MS = 2_147_483_647

export function resolveOptions(options: RateLimitOptions): ResolvedRateLimitOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object')
  checkOptionNames(options, OPTION_NAMES, 'rateLimit')
  const d = rateLimitDefaults
  const limits = options.limits
  const rules = typeof limits === 'function' ? limits : resolveRules(limits, 'rateLimit')
  // Only a limits function may answer "no limit" (per request); a fixed empty list would limit nothing, ever.
  if (typeof rules !== 'function' && rules.rules.length === 0) fail('limits must hold at least one rule')
  const key = options.key
  if (key !== 'principal' && key !== 'tenant' && key !== 'ip' && typeof key !== 'function')
    fail("key must be 'principal', 'tenant', 'ip' or a function (view, principal) => string")
  if (typeof options.store?.consume !== 'function')
    fail('store must have a consume() method (memoryStore() or dynamoStore())')
  const cost = options.cost ?? d.cost
  if (typeof cost !== 'function') checkCost(cost, 'rateLimit: cost')
  const onStoreError = options.onStoreError ?? d.onStoreError
  if (onStoreError !== 'allow' && onStoreError !== 'deny') fail("onStoreError must be 'allow' or 'deny'")
  const failOpenShare = options.failOpenShare ?? d.failOpenShare
  if (!Number.isFinite(failOpenShare) || failOpenShare <= 0 || failOpenShare > 1)
    fail('failOpenShare must be a number in (0, 1]')
  const storeTimeoutMs = options.storeTimeoutMs ?? d.storeTimeoutMs
  // setTimeout runs a longer delay after 1 ms: every store call would time out at once.
  if (!Number.isSafeInteger(storeTimeoutMs) || storeTimeoutMs < 1 || storeTimeoutMs > MAX_TIMER_MS)
    fail(`storeTimeoutMs must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}`)
  if (options.headers !== undefined) {
    if (typeof options.headers !== 'object' || options.headers === null || Array.isArray(options.headers))
      fail('headers must be an object { standard?, legacy? }')
    checkOptionNames(options.headers, HEADER_NAMES, 'rateLimit: headers')
  }
  const headers = { ...d.headers, ...options.headers }
  if (typeof headers.standard !== 'boolean' || typeof headers.legacy !== 'boolean')
    fail('headers.standard and headers.legacy must be booleans')
  const blockCacheMaxKeys = options.blockCacheMaxKeys ?? d.blockCacheMaxKeys
  if (!Number.isSafeInteger(blockCacheMaxKeys) || blockCacheMaxKeys < 0)
    fail('blockCacheMaxKeys must be an integer >= 0')
  if (options.logger !== undefined && typeof options.logger !== 'function') fail('logger must be a function')
  if (options.now !== undefined && typeof options.now !== 'function') fail('now must be a function')
  return {
    rules,
    key,
    store: options.store,
    cost,
    onStoreError,
    failOpenShare,
    storeTimeoutMs,
    headers,
    blockCacheMaxKeys,
    logger: options.logger ?? defaultLogger,
    now: options.now ?? Date.now,
  }
}

/** A cost must be a positive safe integer: a negative, fractional or NaN cost would refund or corrupt counts. */
export function checkCost(cost: unknown, where: string): number {
  if (!Number.isSafeInteger(cost) || (cost as number) < 1)
    throw new TypeError(`${where} must be a positive integer`)
  return cost as number
}

function defaultLogger(message: string, detail: Readonly<Record<string, unknown>>): void {
  console.error(message, JSON.stringify(detail))
}

function fail(message: string): never {
  throw new TypeError(`rateLimit: ${message}`)
}
