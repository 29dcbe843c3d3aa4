import { TtlLruCache } from '@lift/security-core'
import type { LimitStatus } from './algorithms'
import { checkOptionNames } from './option-names'
import { type ResolvedRule, resolveRules } from './rules'
import type { ConsumeRequest, ConsumeResult, RateLimitStore } from './store'

/**
 * Options of {@link shardedStore}; unknown keys are construction errors.
 *
 * @example
 * ```ts
 * import { memoryStore, type ShardedStoreOptions, shardedStore } from '@lift/rate-limit'
 *
 * const options: ShardedStoreOptions = { shards: 8 }
 * const store = shardedStore(memoryStore(), options)
 * ```
 */
export interface ShardedStoreOptions {
  /** Items (shards) per key, 2–256; a rule with a smaller limit uses as many shards as its limit. */
  shards: number
  /** Keys whose exhausted shards this container remembers. Default 10 000. */
  maxCachedKeys?: number
}

/**
 * The defaults of {@link shardedStore} (frozen).
 *
 * @example
 * ```ts
 * import { shardedStoreDefaults } from '@lift/rate-limit'
 *
 * shardedStoreDefaults.maxCachedKeys // 10000
 * ```
 */
export const shardedStoreDefaults = Object.freeze({ maxCachedKeys: 10_000 })

const OPTION_NAMES: ReadonlySet<string> = new Set(['shards', 'maxCachedKeys'])
const MAX_SHARDS = 256

interface ShardPlan {
  readonly count: number
  /** Per shard: the rules with the shard's part of every limit (the parts add up to the limit exactly). */
  readonly rules: readonly (readonly ResolvedRule[])[]
}

/**
 * Hot-key mode: spreads each key over `shards` items of `store` (DynamoDB serves about 1,000 writes per
 * second per item), so one key can take `shards` × that. Every limit is split exactly (the shards' limits
 * add up to it), so the key is never admitted beyond the limit; each request goes to a random shard, and
 * to another one when that shard is exhausted, so a cost-1 request is refused only when every shard is.
 * A request of cost c can be refused while up to shards × (c − 1) units are left, spread over the shards.
 * `RateLimit` headers show the shard's remaining units × shards (an estimate, capped at the limit).
 *
 * @example
 * ```ts
 * import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
 * import { dynamoStore, shardedStore } from '@lift/rate-limit'
 *
 * const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}))
 * const store = shardedStore(dynamoStore({ tableName: 'rate-limits', documentClient }), { shards: 16 })
 * ```
 */
export function shardedStore(store: RateLimitStore, options: ShardedStoreOptions): RateLimitStore {
  if (typeof store?.consume !== 'function')
    throw new TypeError('shardedStore: store must have a consume() method')
  if (typeof options !== 'object' || options === null)
    throw new TypeError('shardedStore: options must be an object')
  checkOptionNames(options, OPTION_NAMES, 'shardedStore')
  const { shards } = options
  if (!Number.isSafeInteger(shards) || shards < 2 || shards > MAX_SHARDS)
    throw new RangeError(`shardedStore: shards must be an integer from 2 to ${MAX_SHARDS}`)
  const maxCachedKeys = options.maxCachedKeys ?? shardedStoreDefaults.maxCachedKeys
  if (!Number.isSafeInteger(maxCachedKeys) || maxCachedKeys < 1)
    throw new RangeError('shardedStore: maxCachedKeys must be a positive integer')
  const plans = new WeakMap<readonly ResolvedRule[], ShardPlan>()
  // Per key: until when (epoch ms) each shard refuses even one unit, as its store said.
  const exhausted = new TtlLruCache<string, Float64Array>({
    maxEntries: maxCachedKeys,
    ttlMs: Number.POSITIVE_INFINITY,
  })

  const planOf = (rules: readonly ResolvedRule[]): ShardPlan => {
    let plan = plans.get(rules)
    if (plan === undefined) {
      plan = shardPlan(rules, shards)
      plans.set(rules, plan)
    }
    return plan
  }

  return {
    ...(store.ready === undefined ? {} : { ready: () => (store.ready as () => Promise<void>).call(store) }),
    async consume(request: ConsumeRequest): Promise<ConsumeResult> {
      const plan = planOf(request.rules)
      if (plan.count < 2) return store.consume(request)
      const stateKey = `${request.key}#${plan.count}`
      let until = exhausted.get(stateKey)
      if (until === undefined) {
        until = new Float64Array(plan.count)
        exhausted.set(stateKey, until)
      }
      // Every shard known exhausted: one of them answers (a planStore refuses from what it saw, without a call).
      const open = shuffledShards(until, request.now)
      const order = open.length > 0 ? open : [Math.floor(Math.random() * plan.count)]
      let refused: ConsumeResult | undefined
      for (const shard of order) {
        const result = await store.consume({
          ...request,
          key: `${request.key}#s${shard}.${plan.count}`,
          rules: plan.rules[shard] as readonly ResolvedRule[],
        })
        if (result.allowed) return mapped(result, request.rules, plan.count)
        if (result.blockMs > 0) until[shard] = request.now + result.blockMs
        // The refusal that frees up first is the one reported (its wait is the shortest).
        if (refused === undefined || earlierRetry(result, refused)) refused = result
      }
      // Every shard refused: blocked locally only until the first one frees up.
      const blockMs = minBlock(until, request.now)
      return mapped({ ...(refused as ConsumeResult), blockMs }, request.rules, plan.count)
    },
  }
}

/** The rules of every shard: limit L over n shards is ⌊L/n⌋ each, one more for the first L mod n. */
function shardPlan(rules: readonly ResolvedRule[], shards: number): ShardPlan {
  const count = Math.min(shards, ...rules.map((rule) => rule.limit))
  if (count < 2) return { count, rules: [] }
  const perShard = Array.from({ length: count }, (_, shard) => {
    const parts = rules.map(({ name, limit, windowSec, algorithm }) => ({
      name,
      limit: Math.floor(limit / count) + (shard < limit % count ? 1 : 0),
      windowSec,
      algorithm,
    }))
    return resolveRules(parts, 'shardedStore').rules
  })
  return { count, rules: perShard }
}

/** Shards not known to be exhausted at `now`, in random order. */
function shuffledShards(until: Float64Array, now: number): number[] {
  const open: number[] = []
  for (let shard = 0; shard < until.length; shard++) if ((until[shard] as number) <= now) open.push(shard)
  for (let i = open.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[open[i], open[j]] = [open[j] as number, open[i] as number]
  }
  return open
}

function earlierRetry(a: ConsumeResult, b: ConsumeResult): boolean {
  return (a.denied?.retryAfterMs ?? 0) < (b.denied?.retryAfterMs ?? 0)
}

function minBlock(until: Float64Array, now: number): number {
  let min = Number.POSITIVE_INFINITY
  for (const value of until) min = Math.min(min, value - now)
  return Math.max(0, min)
}

/** A shard's result in terms of the key's own rules. */
function mapped(result: ConsumeResult, rules: readonly ResolvedRule[], count: number): ConsumeResult {
  const original = (name: string) => rules.find((rule) => rule.name === name) as ResolvedRule
  const statuses: LimitStatus[] = result.statuses.map((status) => {
    const rule = original(status.rule.name)
    return { rule, remaining: Math.min(rule.limit, status.remaining * count), resetMs: status.resetMs }
  })
  const denied =
    result.denied === undefined ? undefined : { ...result.denied, rule: original(result.denied.rule.name) }
  return { ...result, statuses, ...(denied === undefined ? {} : { denied }) }
}
