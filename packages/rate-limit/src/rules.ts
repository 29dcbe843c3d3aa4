/** The three counting schemes; see docs/rate-limit.md for their exact semantics. */
export type RateLimitAlgorithm = 'fixed-window' | 'sliding-window' | 'token-bucket'

/** One limit. Several apply to one request together (all must admit it, or none is consumed). */
export interface RateLimitRule {
  /** Shown in the RateLimit headers and used in stored attribute names: letters, digits, `_ . -`, 1–64 characters. */
  readonly name: string
  /** Requests (cost units) per window; for `token-bucket` the burst (bucket size). Positive integer. */
  readonly limit: number
  /** Window length in seconds; for `token-bucket` the time in which `limit` units refill. Positive integer. */
  readonly windowSec: number
  readonly algorithm: RateLimitAlgorithm
}

/** A validated rule with the derived quantities every algorithm needs. */
export interface ResolvedRule extends RateLimitRule {
  readonly windowMs: number
  /** token-bucket: microseconds per unit (emission interval), rounded up so that arithmetic stays in integers. */
  readonly intervalUs: number
}

/** A validated, frozen rule set and a fingerprint that identifies it (for the block cache). */
export interface ResolvedRules {
  readonly rules: readonly ResolvedRule[]
  readonly fingerprint: string
  /** A small number per distinct rule set (the block cache's key prefix). */
  readonly id: number
  /** The `RateLimit-Policy` field value, built once. */
  readonly policy: string
  /** The longest window in seconds (the grace added to the item's TTL). */
  readonly maxWindowSec: number
}

const RULE_FIELDS: ReadonlySet<string> = new Set(['name', 'limit', 'windowSec', 'algorithm'])
const ALGORITHMS: ReadonlySet<string> = new Set(['fixed-window', 'sliding-window', 'token-bucket'])
const NAME = /^[A-Za-z0-9_.-]{1,64}$/
/** limit × window (ms) stays far below 2^53 so the window arithmetic is exact in integers. */
const MAX_PRODUCT = 2 ** 50
const resolvedCache = new WeakMap<readonly RateLimitRule[], ResolvedRules>()
const idsByFingerprint = new Map<string, number>()
const MAX_FINGERPRINTS = 10_000
// Never reused, even after the table is cleared: the block cache keys a blocked client by rule set id.
let lastId = 0

/** Validates a rule list (memoized per array object); throws a TypeError naming the problem. */
export function resolveRules(rules: unknown, where: string): ResolvedRules {
  if (Array.isArray(rules)) {
    const cached = resolvedCache.get(rules)
    if (cached !== undefined) return cached
  }
  if (!Array.isArray(rules)) throw new TypeError(`${where}: limits must be an array of rules`)
  const names = new Set<string>()
  const resolved = rules.map((rule, index) => {
    const resolvedRule = resolveRule(rule, `${where}: limits[${index}]`)
    if (names.has(resolvedRule.name))
      throw new TypeError(`${where}: duplicate limit name "${resolvedRule.name}"`)
    names.add(resolvedRule.name)
    return resolvedRule
  })
  const fingerprint = resolved.map((r) => `${r.name}/${r.limit}/${r.windowSec}/${r.algorithm}`).join('|')
  // A limits function that invents unbounded rule sets only loses block-cache hits, never memory.
  if (idsByFingerprint.size >= MAX_FINGERPRINTS) idsByFingerprint.clear()
  let id = idsByFingerprint.get(fingerprint)
  if (id === undefined) {
    id = ++lastId
    idsByFingerprint.set(fingerprint, id)
  }
  const result: ResolvedRules = Object.freeze({
    rules: Object.freeze(resolved),
    fingerprint,
    id,
    policy: resolved.map((r) => `"${r.name}";q=${r.limit};w=${r.windowSec}`).join(', '),
    maxWindowSec: resolved.reduce((max, r) => Math.max(max, r.windowSec), 0),
  })
  resolvedCache.set(rules, result)
  return result
}

function resolveRule(rule: unknown, where: string): ResolvedRule {
  if (typeof rule !== 'object' || rule === null) throw new TypeError(`${where} must be an object`)
  for (const field of Object.keys(rule))
    if (!RULE_FIELDS.has(field)) throw new TypeError(`${where} has unknown field "${field}"`)
  const { name, limit, windowSec, algorithm } = rule as Record<string, unknown>
  if (typeof name !== 'string' || !NAME.test(name))
    throw new TypeError(`${where}.name must be 1-64 letters, digits, '_', '.' or '-'`)
  if (!Number.isSafeInteger(limit) || (limit as number) < 1)
    throw new TypeError(`${where}.limit must be a positive integer`)
  if (!Number.isSafeInteger(windowSec) || (windowSec as number) < 1)
    throw new TypeError(`${where}.windowSec must be a positive integer`)
  if (typeof algorithm !== 'string' || !ALGORITHMS.has(algorithm))
    throw new TypeError(`${where}.algorithm must be 'fixed-window', 'sliding-window' or 'token-bucket'`)
  const windowMs = (windowSec as number) * 1000
  if ((limit as number) * windowMs > MAX_PRODUCT)
    throw new TypeError(`${where}: limit × windowSec is too large`)
  return Object.freeze({
    name,
    limit: limit as number,
    windowSec: windowSec as number,
    algorithm: algorithm as RateLimitAlgorithm,
    windowMs,
    intervalUs: Math.ceil((windowMs * 1000) / (limit as number)),
  })
}
