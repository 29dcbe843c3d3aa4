import { describe, expect, it, jest } from '@jest/globals'
import { LiftHttpError } from '@lift/security-core'
import { lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { parseList } from '../../request-signing/src/structured-fields'
import defaultExport, {
  memoryStore,
  policyHeader,
  QUOTA_EXCEEDED_TYPE,
  type RateLimitOptions,
  type RateLimitStore,
  rateLimit,
  rateLimitDefaults,
} from '../src/index'
import { httpEvent, limitedHandler, principal, run } from './support/harness'
import { manualClock, rule, T0 } from './support/rules'

/** A memory store that counts its consume calls. */
function countedStore(inner: RateLimitStore = memoryStore()) {
  const calls = { count: 0 }
  const store: RateLimitStore = {
    consume(request) {
      calls.count++
      return inner.consume(request)
    },
  }
  return { store, calls }
}

const minute = rule('minute', 3, 60, 'fixed-window')
const base = (overrides: Partial<RateLimitOptions> = {}): RateLimitOptions => ({
  limits: [minute],
  key: 'ip',
  store: memoryStore(),
  now: () => T0 + 1_000,
  ...overrides,
})

function structured(field: string | undefined) {
  return parseList(field ?? '').map((member) => {
    if (member.kind !== 'item' || member.value.type !== 'string') throw new Error('not an sf-string item')
    return {
      name: member.value.value,
      params: Object.fromEntries([...member.params].map(([k, v]) => [k, v])),
    }
  })
}

describe('rateLimit: responses and headers', () => {
  it('adds RateLimit-Policy and RateLimit (draft-ietf-httpapi-ratelimit-headers) to a passing response', async () => {
    const handler = limitedHandler(base({ limits: [rule('burst', 10, 1, 'token-bucket'), minute] }))
    const outcome = await run(handler)
    expect(outcome.statusCode).toBe(200)
    expect(outcome.headers['RateLimit-Policy']).toBe('"burst";q=10;w=1, "minute";q=3;w=60')
    expect(structured(outcome.headers['RateLimit-Policy'])).toEqual([
      { name: 'burst', params: { q: { type: 'integer', value: 10 }, w: { type: 'integer', value: 1 } } },
      { name: 'minute', params: { q: { type: 'integer', value: 3 }, w: { type: 'integer', value: 60 } } },
    ])
    // The limit closest to exhaustion: minute (2 left) rather than burst (9 left).
    expect(structured(outcome.headers.RateLimit)).toEqual([
      { name: 'minute', params: { r: { type: 'integer', value: 2 }, t: { type: 'integer', value: 59 } } },
    ])
    expect(outcome.headers['X-RateLimit-Limit']).toBeUndefined()
  })

  it('answers 429 problem+json (quota-exceeded) with Retry-After equal to the RateLimit t of the refusing limit', async () => {
    const handler = limitedHandler(base())
    for (let i = 0; i < 3; i++) expect((await run(handler)).statusCode).toBe(200)
    const refused = await run(handler)
    expect(refused.statusCode).toBe(429)
    expect(refused.headers['Content-Type']).toBe('application/problem+json')
    expect(JSON.parse(refused.body)).toEqual({
      type: QUOTA_EXCEEDED_TYPE,
      title: 'Too Many Requests',
      status: 429,
      code: 'quota-exceeded',
      detail: 'The "minute" limit is exhausted; retry after 59 seconds.',
      'violated-policies': ['minute'],
    })
    expect(refused.headers['Retry-After']).toBe('59')
    expect(refused.headers['RateLimit-Policy']).toBe('"minute";q=3;w=60')
    const [shown] = structured(refused.headers.RateLimit)
    expect(shown).toEqual({
      name: 'minute',
      params: { r: { type: 'integer', value: 0 }, t: { type: 'integer', value: 59 } },
    })
  })

  it('on a tie of remaining units, RateLimit shows the limit that resets later', async () => {
    const outcome = await run(
      limitedHandler(
        base({ limits: [rule('minute', 3, 60, 'fixed-window'), rule('hour', 3, 3600, 'fixed-window')] }),
      ),
    )
    expect(outcome.headers.RateLimit).toBe('"hour";r=2;t=3599')
  })

  it('policyHeader() renders any rule list as the RateLimit-Policy value', () => {
    expect(
      policyHeader([rule('burst', 10, 1, 'token-bucket'), rule('day', 1000, 86_400, 'fixed-window')]),
    ).toBe('"burst";q=10;w=1, "day";q=1000;w=86400')
  })

  it('legacy X-RateLimit-* on request, the standard fields can be turned off', async () => {
    const outcome = await run(limitedHandler(base({ headers: { legacy: true, standard: false } })))
    expect(outcome.headers).toMatchObject({
      'X-RateLimit-Limit': '3',
      'X-RateLimit-Remaining': '2',
      'X-RateLimit-Reset': '59',
    })
    expect(outcome.headers['RateLimit-Policy']).toBeUndefined()
    expect(outcome.headers.RateLimit).toBeUndefined()
  })

  it("adds the fields to errors thrown downstream, and keeps the handler's own headers", async () => {
    const notFound = limitedHandler(base(), {
      handler: async () => {
        throw new LiftHttpError(404, { code: 'not-found', headers: { RateLimit: 'kept' } })
      },
    })
    const outcome = await run(notFound)
    expect(outcome.statusCode).toBe(404)
    expect(outcome.headers['RateLimit-Policy']).toBe('"minute";q=3;w=60')
    expect(outcome.headers.RateLimit).toBe('kept')
    const crash = await run(
      limitedHandler(base(), {
        handler: async () => {
          throw new Error('boom')
        },
      }),
    )
    // @middy/http-error-handler replaces an unexposed error (and its headers) with a bare 500.
    expect(crash.statusCode).toBe(500)
    expect(crash.headers['RateLimit-Policy']).toBeUndefined()
    const frozen = Object.freeze({ statusCode: 400, expose: true, message: 'bad' })
    const frozenError = await run(
      limitedHandler(base(), {
        handler: async () => {
          throw frozen
        },
      }),
    )
    expect(frozenError.statusCode).toBe(400)
    expect(frozenError.headers['RateLimit-Policy']).toBeUndefined()
    const bare = await run(
      limitedHandler(base(), {
        handler: async () => {
          throw Object.assign(new Error('gone'), { statusCode: 410, expose: true })
        },
      }),
    )
    expect(bare.statusCode).toBe(410)
    expect(bare.headers['RateLimit-Policy']).toBe('"minute";q=3;w=60')
    const own = await run(
      limitedHandler(base(), {
        handler: async () => ({ statusCode: 201, headers: { RateLimit: 'mine' }, body: '' }),
      }),
    )
    expect(own.headers).toMatchObject({ RateLimit: 'mine', 'RateLimit-Policy': '"minute";q=3;w=60' })
  })

  it('adds the fields to a response that a later middleware rendered in onError', async () => {
    const handler = middy(async () => {
      throw new Error('downstream')
    })
      .use(rateLimit(base()))
      .use({
        onError: (request) => {
          request.response = { statusCode: 502, body: 'bad gateway' }
        },
      })
    const response = (await handler(httpEvent() as never, lambdaContext() as never)) as {
      headers: Record<string, string>
    }
    expect(response.headers['RateLimit-Policy']).toBe('"minute";q=3;w=60')
  })

  it('leaves a response that is not an object alone', async () => {
    const handler = middy(async () => 'plain').use(rateLimit(base()))
    expect(await handler(httpEvent() as never, lambdaContext() as never)).toBe('plain')
  })
})

describe('rateLimit: local block cache', () => {
  it('once a key is over a limit, refuses it in memory until the window resets, without a store call', async () => {
    const clock = manualClock(T0 + 1_000)
    const { store, calls } = countedStore()
    const handler = limitedHandler(base({ store, now: clock.now }))
    for (let i = 0; i < 4; i++) await run(handler)
    expect(calls.count).toBe(4)
    clock.set(T0 + 30_000)
    const blocked = await run(handler)
    expect(blocked.statusCode).toBe(429)
    // The block ends at the reset plus a jitter below one second (containers do not all return at once).
    expect(['30', '31']).toContain(blocked.headers['Retry-After'])
    expect(blocked.events.map((e) => e.reason)).toEqual(['blocked-cached'])
    expect(calls.count).toBe(4)
    clock.set(T0 + 61_000)
    expect((await run(handler)).statusCode).toBe(200)
    expect(calls.count).toBe(5)
  })

  it('synchronized resets: containers blocked at the same instant do not all return to the store at its reset', async () => {
    const clock = manualClock(T0)
    const { store, calls } = countedStore()
    const containers = Array.from({ length: 40 }, () =>
      limitedHandler(base({ store, now: clock.now, limits: [rule('minute', 1, 60, 'fixed-window')] })),
    )
    // Every container sees the key exhausted at T0 and blocks it until the reset (T0 + 60 s) plus a jitter.
    await run(containers[0]!)
    for (const container of containers) expect((await run(container)).statusCode).toBe(429)
    const blockedAt = calls.count
    // Half a second after the reset some containers are still blocked (no call), others ask the store again.
    clock.set(T0 + 60_500)
    for (const container of containers) await run(container)
    const returned = calls.count - blockedAt
    expect(returned).toBeGreaterThan(0)
    expect(returned).toBeLessThan(40)
    // The jitter is at most 10 % of the block and at most one second: all are back by then.
    clock.set(T0 + 120_000 + 1_000)
    const before = calls.count
    for (const container of containers) await run(container)
    expect(calls.count - before).toBe(40)
  })

  it('does not block a key that only a large cost overran, and can be turned off', async () => {
    const { store, calls } = countedStore()
    const heavy = limitedHandler(base({ store, cost: (view) => Number(view.query.cost ?? 1) }))
    expect((await run(heavy, httpEvent({ query: { cost: '3' } }))).statusCode).toBe(200)
    const { store: store2, calls: calls2 } = countedStore()
    const unblocked = limitedHandler(base({ store: store2, blockCacheMaxKeys: 0 }))
    for (let i = 0; i < 5; i++) await run(unblocked)
    expect(calls2.count).toBe(5)
    expect(calls.count).toBe(1)
    const big = limitedHandler(base({ store, cost: 2, limits: [rule('minute', 3, 60, 'fixed-window')] }))
    await run(big, httpEvent({ sourceIp: '203.0.113.1' }))
    expect((await run(big, httpEvent({ sourceIp: '203.0.113.1' }))).statusCode).toBe(429)
    const small = await run(limitedHandler(base({ store })), httpEvent({ sourceIp: '203.0.113.1' }))
    expect(small.statusCode).toBe(200) // one unit was still free: the refusal of cost 2 blocked nothing
  })
})

describe('rateLimit: keys, limits and costs', () => {
  it("key 'principal' without a principal is a configuration error: 500, explained in the log only", async () => {
    const logger = jest.fn()
    const outcome = await run(limitedHandler(base({ key: 'principal', logger })))
    expect(outcome.statusCode).toBe(500)
    expect(JSON.parse(outcome.body)).toMatchObject({
      code: 'rate-limit-misconfigured',
      detail: 'The server could not complete the request.',
    })
    expect(logger).toHaveBeenCalledWith(
      expect.stringContaining("key 'principal' needs an authenticated principal"),
      expect.any(Object),
    )
  })

  it("key 'principal' counts per principal, key 'tenant' per tenant", async () => {
    const store = memoryStore()
    const alice = principal('alice', { tenantId: 'acme' })
    const bob = principal('bob', { tenantId: 'acme' })
    const perPrincipal = (p: typeof alice) =>
      limitedHandler(base({ key: 'principal', store, limits: [rule('m', 1, 60, 'fixed-window')] }), {
        principal: p,
      })
    expect((await run(perPrincipal(alice))).statusCode).toBe(200)
    expect((await run(perPrincipal(bob))).statusCode).toBe(200)
    expect((await run(perPrincipal(alice))).statusCode).toBe(429)
    const perTenant = (p: typeof alice) =>
      limitedHandler(base({ key: 'tenant', store, limits: [rule('t', 1, 60, 'fixed-window')] }), {
        principal: p,
      })
    expect((await run(perTenant(alice))).statusCode).toBe(200)
    expect((await run(perTenant(bob))).statusCode).toBe(429)
    const noTenant = await run(
      limitedHandler(base({ key: 'tenant', logger: () => {} }), { principal: principal('carol') }),
    )
    expect(noTenant.statusCode).toBe(500)
  })

  it('route-scoped limits: a key function that includes the route', async () => {
    const store = memoryStore()
    const handler = limitedHandler(
      base({
        store,
        limits: [rule('route', 1, 60, 'fixed-window')],
        key: (view) => `${view.routeKey}|${view.sourceIp}`,
      }),
    )
    expect((await run(handler, httpEvent({ routeKey: 'GET /a' }))).statusCode).toBe(200)
    expect((await run(handler, httpEvent({ routeKey: 'GET /b' }))).statusCode).toBe(200)
    expect((await run(handler, httpEvent({ routeKey: 'GET /a' }))).statusCode).toBe(429)
    const bad = limitedHandler(base({ key: () => '' as string, logger: () => {} }))
    expect((await run(bad)).statusCode).toBe(400)
  })

  it('per-plan limits: limits chosen from the principal (free vs paid)', async () => {
    const plans = {
      free: [rule('day', 2, 86_400, 'fixed-window')],
      paid: [rule('day', 5, 86_400, 'fixed-window')],
    }
    const options = base({
      key: 'principal',
      limits: (p) => (p?.claims.plan === 'paid' ? plans.paid : plans.free),
    })
    const middleware = rateLimit(options)
    const free = limitedHandler(middleware, { principal: principal('f', { claims: { plan: 'free' } }) })
    const paid = limitedHandler(middleware, { principal: principal('p', { claims: { plan: 'paid' } }) })
    const freeStatuses = []
    const paidStatuses = []
    for (let i = 0; i < 4; i++) {
      freeStatuses.push((await run(free)).statusCode)
      paidStatuses.push((await run(paid)).statusCode)
    }
    expect(freeStatuses).toEqual([200, 200, 429, 429])
    expect(paidStatuses).toEqual([200, 200, 200, 200])
    expect((await run(paid)).headers['RateLimit-Policy']).toBe('"day";q=5;w=86400')
  })

  it('a limits function returning no rules lets the request through untouched; invalid rules are a 500', async () => {
    const { store, calls } = countedStore()
    const none = await run(limitedHandler(base({ store, limits: () => [] })))
    expect(none.statusCode).toBe(200)
    expect(none.headers['RateLimit-Policy']).toBeUndefined()
    expect(none.events).toMatchObject([{ outcome: 'allow', reason: 'within-limit' }])
    expect(calls.count).toBe(0)
    const logger = jest.fn()
    const invalid = await run(
      limitedHandler(base({ logger, limits: () => [rule('x', 0, 60, 'fixed-window')] })),
    )
    expect(invalid.statusCode).toBe(500)
    expect(logger).toHaveBeenCalledWith(
      'rateLimit: limits(): limits[0].limit must be a positive integer',
      expect.any(Object),
    )
  })

  it('a cost function weighs requests', async () => {
    const handler = limitedHandler(
      base({
        limits: [rule('units', 10, 60, 'token-bucket')],
        cost: (view) => (view.method === 'POST' ? 4 : 1),
      }),
    )
    expect(
      structured((await run(handler, httpEvent({ method: 'POST' }))).headers.RateLimit)[0]?.params.r,
    ).toEqual({ type: 'integer', value: 6 })
    expect(structured((await run(handler)).headers.RateLimit)[0]?.params.r).toEqual({
      type: 'integer',
      value: 5,
    })
  })

  it('a non-HTTP event is refused with 400 before anything is counted', async () => {
    const outcome = await run(limitedHandler(base()), { Records: [] })
    expect(outcome.statusCode).toBe(400)
  })
})

describe('rateLimit: store failures', () => {
  const failing: RateLimitStore = {
    consume: async () => Promise.reject(new Error('connection refused to secret-table key=alice')),
  }
  const hanging: RateLimitStore = { consume: () => new Promise(() => {}) }

  it("onStoreError 'allow' (default) admits, without RateLimit, logs the error name only and publishes store-error-allowed", async () => {
    const logger = jest.fn()
    const outcome = await run(limitedHandler(base({ store: failing, logger })))
    expect(outcome.statusCode).toBe(200)
    expect(outcome.headers['RateLimit-Policy']).toBe('"minute";q=3;w=60')
    expect(outcome.headers.RateLimit).toBeUndefined()
    expect(outcome.events).toMatchObject([{ outcome: 'allow', reason: 'store-error-allowed' }])
    expect(logger).toHaveBeenCalledWith('rateLimit: the store failed, request allowed', {
      error: 'Error',
      requestId: expect.any(String),
      storeTimeoutMs: 500,
    })
    expect(JSON.stringify(logger.mock.calls)).not.toMatch(/alice|secret-table|198\.51/)
  })

  it("onStoreError 'deny' answers 503 rate-limit-unavailable and publishes store-error-denied", async () => {
    const outcome = await run(
      limitedHandler(base({ store: failing, onStoreError: 'deny', logger: () => {} })),
    )
    expect(outcome.statusCode).toBe(503)
    expect(JSON.parse(outcome.body)).toMatchObject({ code: 'rate-limit-unavailable' })
    expect(outcome.headers['Retry-After']).toBe('1')
    expect(outcome.events).toMatchObject([{ outcome: 'deny', reason: 'store-error-denied' }])
  })

  it('a local store may answer or throw synchronously: its answer counts, its throw is a store failure', async () => {
    const inner = memoryStore()
    const syncStore: RateLimitStore = { local: true, consume: (request) => inner.consume(request) }
    const outcomes = []
    for (let i = 0; i < 4; i++) outcomes.push(await run(limitedHandler(base({ store: syncStore }))))
    expect(outcomes.map((outcome) => outcome.statusCode)).toEqual([200, 200, 200, 429])
    const throwing: RateLimitStore = {
      local: true,
      consume: () => {
        throw new RangeError('broken')
      },
    }
    const logger = jest.fn()
    const denied = await run(limitedHandler(base({ store: throwing, onStoreError: 'deny', logger })))
    expect(denied.statusCode).toBe(503)
    const notReady: RateLimitStore = {
      consume: (request) => memoryStore().consume(request),
      ready: () => {
        throw new TypeError('client module missing')
      },
    }
    const unready = await run(limitedHandler(base({ store: notReady, onStoreError: 'deny', logger })))
    expect(unready.statusCode).toBe(503)
    expect(logger).toHaveBeenCalledWith(
      'rateLimit: the store failed, request denied',
      expect.objectContaining({ error: 'RangeError' }),
    )
  })

  it('a store that never answers is cut off after storeTimeoutMs (StoreTimeoutError)', async () => {
    const logger = jest.fn()
    const allow = await run(limitedHandler(base({ store: hanging, storeTimeoutMs: 30, logger })))
    expect(allow.statusCode).toBe(200)
    expect(logger).toHaveBeenCalledWith(
      expect.any(String),
      expect.objectContaining({ error: 'StoreTimeoutError' }),
    )
    const deny = await run(
      limitedHandler(base({ store: hanging, storeTimeoutMs: 30, onStoreError: 'deny', logger })),
    )
    expect(deny.statusCode).toBe(503)
  })

  it('the default logger writes one line to console.error', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {})
    try {
      await run(limitedHandler(base({ store: failing })))
      expect(spy).toHaveBeenCalledWith(
        'rateLimit: the store failed, request allowed',
        expect.stringContaining('"error":"Error"'),
      )
    } finally {
      spy.mockRestore()
    }
  })
})

describe('rateLimit: security events', () => {
  it('publishes one ratelimit event per decision, with a key digest and never the raw key', async () => {
    const p = principal('user-1', { tenantId: 't-9' })
    const handler = limitedHandler(base({ key: 'principal', limits: [rule('m', 1, 60, 'fixed-window')] }), {
      principal: p,
    })
    const allowed = await run(handler)
    const denied = await run(handler)
    expect(allowed.events).toEqual([
      {
        type: 'ratelimit',
        outcome: 'allow',
        reason: 'within-limit',
        requestId: expect.any(String),
        principalId: 'user-1',
        tenantId: 't-9',
        at: T0 + 1_000,
        detail: { key: expect.stringMatching(/^[0-9a-f]{16}$/), remaining: 0, resetSec: 59 },
      },
    ])
    expect(denied.events).toEqual([
      expect.objectContaining({
        outcome: 'deny',
        reason: 'limit-exceeded',
        detail: { limit: 'm', key: allowed.events[0]!.detail!.key, remaining: 0, resetSec: 59 },
      }),
    ])
    expect(JSON.stringify([allowed.events, denied.events])).not.toContain('principal:user-1')
  })

  it('falls back to the Lambda request id when the view has none', async () => {
    const event = httpEvent()
    delete (event.requestContext as { requestId?: string }).requestId
    const outcome = await run(limitedHandler(base()), event)
    expect(outcome.events[0]?.requestId).toMatch(/^[0-9a-f-]{36}$/)
  })
})

describe('rateLimit: options', () => {
  it('exports a frozen rateLimitDefaults and rateLimit as the default export', () => {
    expect(defaultExport).toBe(rateLimit)
    expect(Object.isFrozen(rateLimitDefaults)).toBe(true)
    expect(rateLimitDefaults).toEqual({
      cost: 1,
      onStoreError: 'allow',
      failOpenShare: 0.02,
      storeTimeoutMs: 500,
      headers: { standard: true, legacy: false },
      blockCacheMaxKeys: 10_000,
    })
  })

  it.each([
    [null, 'options must be an object'],
    [{ ...base(), extra: 1 }, 'unknown option "extra"'],
    [base({ headers: { standrad: false } as never }), 'rateLimit: headers: unknown option "standrad"'],
    [base({ limits: 'x' as never }), 'limits must be an array of rules'],
    [base({ limits: [null as never] }), 'limits[0] must be an object'],
    [base({ limits: [rule('a b', 1, 1, 'fixed-window')] }), 'limits[0].name'],
    [base({ limits: [rule('a', 1.5, 1, 'fixed-window')] }), 'limits[0].limit must be a positive integer'],
    [base({ limits: [rule('a', 1, 0, 'fixed-window')] }), 'limits[0].windowSec must be a positive integer'],
    [base({ limits: [rule('a', 1, 1, 'leaky' as never)] }), 'limits[0].algorithm'],
    [
      base({ limits: [rule('a', 1, 1, 'fixed-window'), rule('a', 2, 2, 'fixed-window')] }),
      'duplicate limit name "a"',
    ],
    [base({ limits: [rule('a', 2 ** 40, 86_400, 'fixed-window')] }), 'too large'],
    [base({ key: 'user' as never }), "key must be 'principal', 'tenant', 'ip' or a function"],
    [base({ store: {} as never }), 'store must have a consume() method'],
    [base({ cost: 0 }), 'cost must be a positive integer'],
    [base({ onStoreError: 'maybe' as never }), "onStoreError must be 'allow' or 'deny'"],
    [
      base({ storeTimeoutMs: 0 }),
      'storeTimeoutMs must be a whole number of milliseconds from 1 to 2147483647',
    ],
    [base({ headers: { legacy: 'yes' as never } }), 'headers.standard and headers.legacy must be booleans'],
    [base({ blockCacheMaxKeys: -1 }), 'blockCacheMaxKeys must be an integer >= 0'],
    [base({ logger: 'console' as never }), 'logger must be a function'],
    [base({ now: 5 as never }), 'now must be a function'],
  ])('refuses invalid options at construction: %#', (options, message) => {
    expect(() => rateLimit(options as RateLimitOptions)).toThrow(message as string)
  })

  it('storeTimeoutMs beyond what a timer can wait (2^31 - 1 ms) or fractional is a construction error, not a deadline that fires at once', async () => {
    // Node runs a setTimeout longer than 2^31 - 1 ms after 1 ms: every store call would time out and fail open.
    for (const storeTimeoutMs of [2 ** 31, Number.MAX_SAFE_INTEGER, 0.5, 250.5])
      expect(() => rateLimit(base({ storeTimeoutMs }))).toThrow(
        'storeTimeoutMs must be a whole number of milliseconds from 1 to 2147483647',
      )
    const answering: RateLimitStore = {
      consume: async ({ rules }) => {
        await new Promise((resolve) => setTimeout(resolve, 5))
        return {
          allowed: true,
          statuses: rules.map((r) => ({ rule: r, remaining: 2, resetMs: 1_000 })),
          blockMs: 0,
        }
      },
    }
    const logger = jest.fn()
    const outcome = await run(limitedHandler(base({ store: answering, storeTimeoutMs: 2 ** 31 - 1, logger })))
    expect(outcome.headers.RateLimit).toBe('"minute";r=2;t=1')
    expect(logger).not.toHaveBeenCalled()
  })

  it('headers must be an options object: true, a string or null is a construction error, not silently the defaults', () => {
    for (const headers of [true, 'legacy', null, ['legacy']])
      expect(() => rateLimit(base({ headers: headers as never }))).toThrow(
        'rateLimit: headers must be an object { standard?, legacy? }',
      )
  })

  it('a rule with an unknown field (a typo, or a setting rateLimit does not have) is refused, never ignored', () => {
    const withExtra = (extra: Record<string, unknown>) => [
      { ...rule('burst', 10, 1, 'token-bucket'), ...extra },
    ]
    expect(() => rateLimit(base({ limits: withExtra({ refillPerSec: 5 }) }))).toThrow(
      'rateLimit: limits[0] has unknown field "refillPerSec"',
    )
    expect(() => rateLimit(base({ limits: withExtra({ blockSec: 600 }) }))).toThrow(
      'unknown field "blockSec"',
    )
  })

  it('a fixed, empty limits list (a config that failed to load) is a construction error, not a silent no-op', async () => {
    expect(() => rateLimit(base({ limits: [] }))).toThrow('rateLimit: limits must hold at least one rule')
    // A limits function may still return no rules for a request (an unlimited plan).
    expect((await run(limitedHandler(base({ limits: () => [] })))).statusCode).toBe(200)
  })

  it('works with the real clock by default', async () => {
    const { now: _now, ...options } = base()
    expect((await run(limitedHandler(options))).statusCode).toBe(200)
    const handler = middy(async () => ({ statusCode: 200, body: '' }))
      .use(httpErrorHandler())
      .use(rateLimit(options))
    expect(await handler(httpEvent() as never, lambdaContext() as never)).toMatchObject({ statusCode: 200 })
  })
})
