import {
  createObjectSlot,
  getPrincipal,
  type HttpRequestView,
  httpRequestView,
  LiftHttpError,
  type Principal,
  securityEvents,
  TtlLruCache,
} from '@lift/security-core'
import type { MiddlewareObj, Request } from '@middy/core'
import type { DeniedLimit, LimitStatus } from './algorithms'
import { publishDecision } from './events'
import { FailOpenBudget } from './fail-open-budget'
import { closestToExhaustion, rateLimitHeaders, seconds } from './headers'
import { InvalidKeyError, KeyUnavailableError, rawKey, storeKey } from './keys'
import { checkCost, type RateLimitOptions, type ResolvedRateLimitOptions, resolveOptions } from './options'
import { type ResolvedRules, resolveRules } from './rules'
import type { ConsumeResult } from './store'
import { consumeWithin } from './store-call'

/** Problem type of a 429 (draft-ietf-httpapi-ratelimit-headers registers it with IANA). */
export const QUOTA_EXCEEDED_TYPE = 'https://iana.org/assignments/http-problem-types#quota-exceeded'

const MAX_BLOCK_JITTER_MS = 1_000
/** Keys one container remembers as failing at most (least recently failing keys are forgotten first). */
const FAILING_KEYS_MAX = 10_000

interface BlockEntry {
  untilMs: number
  decidedAt: number
  denied: DeniedLimit
  statuses: readonly LimitStatus[]
}

interface RequestLimits {
  view: HttpRequestView
  principal: Principal | undefined
  requestId: string | undefined
  resolved: ResolvedRules
  raw: string
  cost: number
}

/**
 * Middy middleware that counts every request against one or more limits for a key (principal, tenant, IP
 * or your function) and answers 429 problem+json with Retry-After once a limit is exhausted. Responses
 * that pass carry `RateLimit-Policy` and `RateLimit` (draft-ietf-httpapi-ratelimit-headers).
 * @example
 * ```ts
 * import { cognito, jwtAuth } from '@lift/auth-jwt'
 * import { memoryStore, rateLimit } from '@lift/rate-limit'
 * import middy from '@middy/core'
 * import httpErrorHandler from '@middy/http-error-handler'
 *
 * const issuers = [cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' })]
 * export const main = middy()
 *   .use(httpErrorHandler())
 *   .use(jwtAuth({ issuers }))
 *   .use(rateLimit({ key: 'principal', limits: [{ name: 'minute', limit: 600, windowSec: 60, algorithm: 'sliding-window' }], store: memoryStore() }))
 *   .handler(async () => ({ statusCode: 200, body: 'ok' }))
 * ```
 */
export function rateLimit(options: RateLimitOptions): MiddlewareObj {
  const o = resolveOptions(options)
  // A local store answers as fast as the block cache would, so the cache only fronts remote stores.
  const blocked =
    o.blockCacheMaxKeys > 0 && o.store.local !== true
      ? new TtlLruCache<string, BlockEntry>({
          maxEntries: o.blockCacheMaxKeys,
          ttlMs: Number.POSITIVE_INFINITY,
        })
      : undefined
  const pendingHeaders = createObjectSlot<Record<string, string>>()
  // Keys whose store failed in this container: decided from a local budget until the store answers again.
  const failing = o.store.local === true ? undefined : new FailOpenBudget(o.failOpenShare, FAILING_KEYS_MAX)

  // Synchronous whenever the store is (memoryStore): no promise is made on that path, and Middy's await
  // of `undefined` is the only wait. A remote store's promise is chained, never awaited here.
  const before = (request: Request): void | Promise<void> => {
    const limits = requestLimits(request, o)
    const at = o.now()
    if (limits.resolved.rules.length === 0) {
      const { requestId, principal, raw } = limits
      publishDecision({ reason: 'within-limit', requestId, principal, at, rawKey: raw })
      return
    }
    const key = storeKey(limits.raw)
    const blockKey = failing === undefined ? '' : `${limits.resolved.id}:${key}`
    const block = blocked?.get(blockKey)
    if (block !== undefined && block.untilMs > at) {
      const elapsed = at - block.decidedAt
      const statuses = block.statuses.map((s) => ({ ...s, resetMs: Math.max(0, s.resetMs - elapsed) }))
      const denied = { ...block.denied, retryAfterMs: block.untilMs - at }
      throw tooManyRequests(limits, statuses, denied, o, 'blocked-cached', at)
    }
    const failure = failing?.get(blockKey)
    if (failure !== undefined) {
      // One request at a time finds out whether the store is back; the others do not wait for it.
      if (failure.probing) return failOpen(request, limits, blockKey, at)
      failure.probing = true
    }
    // Awaited before the deadline starts, so a one-time cold-start import never counts as a slow store.
    const { ready } = o.store
    if (ready === undefined) return consume(request, limits, key, blockKey, at)
    let readiness: Promise<void>
    try {
      readiness = ready.call(o.store)
    } catch (error) {
      return storeFailure(request, limits, blockKey, error, at)
    }
    return readiness.then(
      () => consume(request, limits, key, blockKey, at),
      (error: unknown) => storeFailure(request, limits, blockKey, error, at),
    )
  }

  const consume = (
    request: Request,
    limits: RequestLimits,
    key: string,
    blockKey: string,
    at: number,
  ): void | Promise<void> => {
    let pending: ConsumeResult | Promise<ConsumeResult>
    try {
      pending = consumeWithin(o.store, key, limits.resolved.rules, limits.cost, at, o.storeTimeoutMs)
    } catch (error) {
      return storeFailure(request, limits, blockKey, error, at)
    }
    if (!(pending instanceof Promise)) return decided(request, limits, pending, blockKey, at)
    return pending.then(
      (result) => decided(request, limits, result, blockKey, at),
      (error: unknown) => storeFailure(request, limits, blockKey, error, at),
    )
  }

  const storeFailure = (
    request: Request,
    limits: RequestLimits,
    blockKey: string,
    error: unknown,
    at: number,
  ): void => {
    // Logged and published once per key and window, not once per request.
    if (failing === undefined || failing.failed(blockKey, limits.resolved, at))
      storeFailed(error, limits, o, at)
    failOpen(request, limits, blockKey, at)
  }

  /** The store cannot decide: 503 ('deny'), or the local budget decides ('allow'). */
  const failOpen = (request: Request, limits: RequestLimits, blockKey: string, at: number): void => {
    const headers = rateLimitHeaders(limits.resolved, [], undefined, o.headers)
    if (o.onStoreError === 'deny') throw unavailable(headers)
    if (failing !== undefined) {
      const result = failing.consume(blockKey, limits.resolved, limits.cost, at)
      if (!result.allowed)
        throw tooManyRequests(
          limits,
          result.statuses,
          result.denied as DeniedLimit,
          o,
          'fail-open-budget-exceeded',
          at,
        )
    }
    pendingHeaders.set(request, headers)
  }

  const decided = (
    request: Request,
    limits: RequestLimits,
    result: ConsumeResult,
    blockKey: string,
    at: number,
  ): void => {
    failing?.recovered(blockKey)
    if (!result.allowed) {
      const denied = result.denied as DeniedLimit
      if (blocked !== undefined && result.blockMs > 0)
        blocked.set(blockKey, {
          untilMs: at + result.blockMs + blockJitterMs(result.blockMs),
          decidedAt: at,
          denied,
          statuses: result.statuses,
        })
      throw tooManyRequests(limits, result.statuses, denied, o, 'limit-exceeded', at)
    }
    pendingHeaders.set(request, rateLimitHeaders(limits.resolved, result.statuses, undefined, o.headers))
    if (!securityEvents.hasSubscribers) return
    const shown = closestToExhaustion(result.statuses) as LimitStatus
    publishDecision({
      reason: 'within-limit',
      requestId: limits.requestId,
      principal: limits.principal,
      at,
      rawKey: limits.raw,
      remaining: shown.remaining,
      resetSec: seconds(shown.resetMs),
    })
  }

  return {
    before,
    after: (request) => {
      const headers = pendingHeaders.get(request)
      if (headers !== undefined) addToResponse(request, headers)
    },
    onError: (request) => {
      const headers = pendingHeaders.get(request)
      if (headers === undefined) return
      // A later middleware may already have rendered the error; otherwise the error handler will render
      // request.error and copy its headers.
      if (typeof request.response === 'object' && request.response !== null) addToResponse(request, headers)
      else addToError(request.error, headers)
    },
  }
}

export default rateLimit

/**
 * Containers that block a key at the same instant (one burst) would all return to the store at the same
 * instant: each block is extended by a random 0–10 % of it (at most 1 s). Longer, never shorter, so it
 * never admits more.
 */
function blockJitterMs(blockMs: number): number {
  return Math.floor(Math.random() * Math.min(blockMs / 10, MAX_BLOCK_JITTER_MS))
}

function requestLimits(request: Request, o: ResolvedRateLimitOptions): RequestLimits {
  const view = httpRequestView(request.event)
  const principal = getPrincipal(request)
  const requestId = view.requestId ?? (request.context as { awsRequestId?: string } | undefined)?.awsRequestId
  try {
    const resolved =
      typeof o.rules === 'function' ? resolveRules(o.rules(principal, view), 'rateLimit: limits()') : o.rules
    const raw = rawKey(o.key, view, principal)
    const cost =
      typeof o.cost === 'function' ? checkCost(o.cost(view, principal), 'rateLimit: cost()') : o.cost
    return { view, principal, requestId, resolved, raw, cost }
  } catch (error) {
    if (error instanceof InvalidKeyError) throw invalidKey(error, principal, requestId, o)
    if (!(error instanceof TypeError) && !(error instanceof KeyUnavailableError)) throw error
    // The configuration does not fit this request: a server-side fault (500), explained in the log only.
    o.logger(error.message, { requestId })
    throw new LiftHttpError(500, {
      code: 'rate-limit-misconfigured',
      detail: 'The server could not complete the request.',
      cause: error,
    })
  }
}

/** 400: the request carries no usable key (published, logged without the key). */
function invalidKey(
  error: InvalidKeyError,
  principal: Principal | undefined,
  requestId: string | undefined,
  o: ResolvedRateLimitOptions,
): LiftHttpError {
  const at = o.now()
  o.logger('rateLimit: the request has an empty or oversized key', { requestId })
  publishDecision({ reason: 'invalid-key', requestId, principal, at, rawKey: error.rawKey })
  return new LiftHttpError(400, {
    code: 'rate-limit-key-invalid',
    detail: 'The request does not carry a usable rate-limit key.',
    cause: error,
  })
}

function tooManyRequests(
  limits: RequestLimits,
  statuses: readonly LimitStatus[],
  denied: DeniedLimit,
  o: ResolvedRateLimitOptions,
  reason: 'limit-exceeded' | 'blocked-cached' | 'fail-open-budget-exceeded',
  at: number,
): LiftHttpError {
  const retryAfter = seconds(denied.retryAfterMs)
  const remaining = statuses.find((s) => s.rule.name === denied.rule.name)?.remaining ?? 0
  publishDecision({
    reason,
    requestId: limits.requestId,
    principal: limits.principal,
    at,
    rawKey: limits.raw,
    limit: denied.rule.name,
    remaining,
    resetSec: retryAfter,
  })
  return new LiftHttpError(429, {
    code: 'quota-exceeded',
    type: QUOTA_EXCEEDED_TYPE,
    title: 'Too Many Requests',
    detail: `The "${denied.rule.name}" limit is exhausted; retry after ${retryAfter} seconds.`,
    headers: {
      'Retry-After': String(retryAfter),
      ...rateLimitHeaders(limits.resolved, statuses, denied, o.headers),
    },
    extensions: { 'violated-policies': [denied.rule.name] },
  })
}

function storeFailed(error: unknown, limits: RequestLimits, o: ResolvedRateLimitOptions, at: number): void {
  const allowed = o.onStoreError === 'allow'
  // Only the error's name: SDK messages can echo keys or table details.
  o.logger(`rateLimit: the store failed, request ${allowed ? 'allowed' : 'denied'}`, {
    error: error instanceof Error ? error.name : typeof error,
    requestId: limits.requestId,
    storeTimeoutMs: o.storeTimeoutMs,
  })
  publishDecision({
    reason: allowed ? 'store-error-allowed' : 'store-error-denied',
    requestId: limits.requestId,
    principal: limits.principal,
    at,
    rawKey: limits.raw,
  })
}

function unavailable(headers: Record<string, string>): LiftHttpError {
  return new LiftHttpError(503, {
    code: 'rate-limit-unavailable',
    detail: 'The request cannot be admitted right now.',
    headers: { 'Retry-After': '1', ...headers },
  })
}

function addToResponse(request: Request, headers: Record<string, string>): void {
  const response = request.response as { headers?: Record<string, unknown> } | null | undefined
  if (typeof response !== 'object' || response === null) return
  response.headers = { ...headers, ...response.headers }
}

function addToError(error: unknown, headers: Record<string, string>): void {
  if (typeof error !== 'object' || error === null) return
  const target = error as { headers?: unknown }
  if (typeof target.headers === 'object' && target.headers !== null) {
    const existing = target.headers as Record<string, unknown>
    for (const [name, value] of Object.entries(headers)) if (!(name in existing)) existing[name] = value
  } else if (Object.isExtensible(error)) {
    target.headers = { ...headers }
  }
}
