// Dynamic issuers: a resolver behind positive and negative caches, against a real JWKS server and an
// attacker's server on 127.0.0.1 that counts every request it gets.
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { type AsymmetricTestIssuer, createTestIssuer } from '@lift/testing'
import { jwtAuth } from '../src/index'
import { issuerCacheDefaults } from '../src/issuer-resolver'
import type { IssuerOptions, IssuerResolver, JwtAuthOptions } from '../src/options'
import { isResolvableIssuer } from '../src/resolver-lookup'
import { clock, NOW_MS } from './support/fixtures'
import { app, bearer, call, securityEventLog } from './support/run'
import { type LocalServer, sendJson, startServer } from './support/servers'

const log = securityEventLog()

let tenant: AsymmetricTestIssuer
let attacker: LocalServer

beforeAll(async () => {
  tenant = await createTestIssuer({ alg: 'ES256', audience: 'api', now: () => NOW_MS })
  // Serves the tenant's real key set: were it ever asked, a token naming it would verify.
  attacker = await startServer((_request, response) => sendJson(response, tenant.jwks))
})
afterAll(async () => {
  await tenant.close()
  await attacker.close()
})

const tenantOptions = (): IssuerOptions => ({
  issuer: tenant.issuer,
  audience: 'api',
  algorithms: ['ES256'],
  jwksUri: tenant.jwksUri,
})

/** A resolver knowing only the tenant, counting its calls per `iss`. */
function countingResolver(answer: (iss: string) => ReturnType<IssuerResolver> = defaultAnswer) {
  const calls = new Map<string, number>()
  const resolve: IssuerResolver = (iss) => {
    calls.set(iss, (calls.get(iss) ?? 0) + 1)
    return answer(iss)
  }
  return { resolve, calls, total: () => [...calls.values()].reduce((sum, n) => sum + n, 0) }
}
async function defaultAnswer(iss: string): Promise<IssuerOptions | undefined> {
  return iss === tenant.issuer ? tenantOptions() : undefined
}

const resolverAuth = (resolve: IssuerResolver, options: Partial<JwtAuthOptions> = {}) =>
  app(jwtAuth({ issuers: resolve, now: () => NOW_MS, ...options }))

describe('issuers: a resolver', () => {
  it('resolves a tenant once, fetches its keys once, and verifies', async () => {
    const resolver = countingResolver()
    const handler = resolverAuth(resolver.resolve)
    const fetched = tenant.jwksRequests()
    for (let i = 0; i < 5; i++) {
      const response = await call(handler, bearer(await tenant.sign({ sub: `user-${i}` })))
      expect(response.statusCode).toBe(200)
    }
    expect(resolver.calls.get(tenant.issuer)).toBe(1)
    expect(tenant.jwksRequests()).toBe(fetched + 1)
  })

  it('done-when: 1,000 random issuers cost at most one resolver call each and no fetch from any URL the resolver did not return', async () => {
    const resolver = countingResolver()
    const handler = resolverAuth(resolver.resolve)
    const fetched = tenant.jwksRequests()
    const issuers = Array.from({ length: 1000 }, (_, i) =>
      i % 2 === 0
        ? `https://tenant-${randomBytes(6).toString('hex')}.example/`
        : `${attacker.base}/${randomBytes(6).toString('hex')}`,
    )
    // Signed with the tenant's real key: only the `iss` is wrong.
    const tokens = await Promise.all(issuers.map((iss) => tenant.sign({ iss, sub: 'mallory' })))
    // Each token twice at once, then once more: single-flight, then the negative cache.
    for (let i = 0; i < tokens.length; i += 100) {
      const batch = tokens.slice(i, i + 100).flatMap((token) => [token, token])
      const responses = await Promise.all(batch.map((token) => call(handler, bearer(token))))
      expect(responses.every((response) => response.statusCode === 401)).toBe(true)
    }
    for (const token of tokens) expect((await call(handler, bearer(token))).statusCode).toBe(401)

    expect(resolver.calls.size).toBe(1000)
    expect(Math.max(...resolver.calls.values())).toBe(1)
    expect(attacker.requests()).toBe(0)
    expect(tenant.jwksRequests()).toBe(fetched)
    expect(new Set(log.reasons())).toEqual(new Set(['issuer-not-allowed']))
    // The real tenant still works, and was not evicted by the spray.
    expect((await call(handler, bearer(await tenant.sign({ sub: 'alice' })))).statusCode).toBe(200)
  })

  it('asks again about an unknown iss only after negativeTtlSec', async () => {
    const time = clock()
    const resolver = countingResolver()
    const handler = resolverAuth(resolver.resolve, { now: time.now, issuerCache: { negativeTtlSec: 30 } })
    const iss = 'https://not-yet-onboarded.example/'
    const token = await tenant.sign({ iss, sub: 'u' })
    for (let i = 0; i < 3; i++) expect((await call(handler, bearer(token))).statusCode).toBe(401)
    time.advance(29_999)
    expect((await call(handler, bearer(token))).statusCode).toBe(401)
    expect(resolver.calls.get(iss)).toBe(1)
    time.advance(1)
    expect((await call(handler, bearer(token))).statusCode).toBe(401)
    expect(resolver.calls.get(iss)).toBe(2)
  })

  it('asks again about a known tenant after ttlSec', async () => {
    const time = clock()
    const resolver = countingResolver()
    const handler = resolverAuth(resolver.resolve, { now: time.now, issuerCache: { ttlSec: 60 } })
    const token = await tenant.sign({ sub: 'u' })
    expect((await call(handler, bearer(token))).statusCode).toBe(200)
    time.advance(60_000)
    expect((await call(handler, bearer(await tenant.sign({ sub: 'v' })))).statusCode).toBe(200)
    expect(resolver.calls.get(tenant.issuer)).toBe(2)
  })

  it.each<[string, () => IssuerOptions | undefined]>([
    ['removed (offboarded)', () => undefined],
    ['changed to another audience', () => ({ ...tenantOptions(), audience: 'api-v2' })],
  ])('a tenant %s: its tokens stop passing once ttlSec is over, cached or not', async (_name, changed) => {
    const time = clock()
    let answer: () => IssuerOptions | undefined = tenantOptions
    const resolver = countingResolver(async (iss) => (iss === tenant.issuer ? answer() : undefined))
    const handler = resolverAuth(resolver.resolve, { now: time.now, issuerCache: { ttlSec: 60 } })
    const early = await tenant.sign({ sub: 'early' }, { expiresIn: 3600 })
    expect((await call(handler, bearer(early))).statusCode).toBe(200)
    answer = changed
    // Within ttlSec the resolved issuer still stands, for a new token too (cached for maxTtlSec, 300 s).
    time.advance(50_000)
    const late = await tenant.sign({ sub: 'late' }, { expiresIn: 3600 })
    expect((await call(handler, bearer(late))).statusCode).toBe(200)
    expect((await call(handler, bearer(early))).statusCode).toBe(200)
    time.advance(10_000)
    expect((await call(handler, bearer(late))).statusCode).toBe(401)
    expect((await call(handler, bearer(early))).statusCode).toBe(401)
    expect(resolver.calls.get(tenant.issuer)).toBe(2)
  })

  it('a tenant re-resolved after ttlSec keeps its key set: stale-if-error still covers a JWKS outage', async () => {
    const time = clock()
    const resolver = countingResolver()
    const handler = resolverAuth(resolver.resolve, { now: time.now })
    expect((await call(handler, bearer(await tenant.sign({ sub: 'u' })))).statusCode).toBe(200)
    const fetched = tenant.jwksRequests()
    tenant.setJwks({ error: 'down' }, { status: 500 })
    try {
      // Past the resolver's ttlSec (600 s) and the key set's cacheMaxAgeMs (600 s), inside staleIfErrorMs.
      time.advance(601_000)
      const token = await tenant.sign({ sub: 'v' }, { expiresIn: 3600 })
      expect((await call(handler, bearer(token))).statusCode).toBe(200)
      expect(resolver.calls.get(tenant.issuer)).toBe(2)
      expect(tenant.jwksRequests()).toBe(fetched + 1)
      expect(log.reasons()).toContain('jwks-stale')
    } finally {
      tenant.resetJwks()
    }
  })

  it('a tenant re-resolved with the same jwksUri costs no extra JWKS fetch', async () => {
    const time = clock()
    const resolver = countingResolver()
    const handler = resolverAuth(resolver.resolve, { now: time.now, issuerCache: { ttlSec: 60 } })
    expect((await call(handler, bearer(await tenant.sign({ sub: 'u' })))).statusCode).toBe(200)
    const fetched = tenant.jwksRequests()
    time.advance(60_000)
    expect((await call(handler, bearer(await tenant.sign({ sub: 'v' })))).statusCode).toBe(200)
    expect(resolver.calls.get(tenant.issuer)).toBe(2)
    expect(tenant.jwksRequests()).toBe(fetched)
  })

  it('a tenant re-resolved with another jwksUri gets its keys from there', async () => {
    const moved = await startServer((_request, response) => sendJson(response, tenant.jwks))
    try {
      const time = clock()
      let answer = tenantOptions()
      const resolver = countingResolver(async () => answer)
      const handler = resolverAuth(resolver.resolve, { now: time.now, issuerCache: { ttlSec: 60 } })
      expect((await call(handler, bearer(await tenant.sign({ sub: 'u' })))).statusCode).toBe(200)
      answer = { ...tenantOptions(), jwksUri: `${moved.base}/keys` }
      time.advance(60_000)
      expect((await call(handler, bearer(await tenant.sign({ sub: 'v' })))).statusCode).toBe(200)
      expect(moved.requests()).toBe(1)
    } finally {
      await moved.close()
    }
  })

  it('a spray of unknown issuers never evicts a known tenant (separate negative cache)', async () => {
    const resolver = countingResolver()
    const handler = resolverAuth(resolver.resolve, { issuerCache: { maxEntries: 10 } })
    expect((await call(handler, bearer(await tenant.sign({ sub: 'u' })))).statusCode).toBe(200)
    for (let i = 0; i < 50; i++) {
      await call(handler, bearer(await tenant.sign({ iss: `https://spray-${i}.example/`, sub: 'u' })))
    }
    expect((await call(handler, bearer(await tenant.sign({ sub: 'v' })))).statusCode).toBe(200)
    expect(resolver.calls.get(tenant.issuer)).toBe(1)
  })

  it('attack: a malformed or unusual iss never reaches the resolver', async () => {
    const resolver = countingResolver()
    const handler = resolverAuth(resolver.resolve)
    const malformed: unknown[] = [
      '',
      `https://long.example/${'a'.repeat(600)}`,
      'http://plain-http.example/',
      'https://user:password@creds.example/',
      'https://query.example/?tenant=1',
      'https://fragment.example/#x',
      'https://UPPER.example/',
      'https://dots.example/a/../b',
      'https://space.example/a b',
      'https://ünïcode.example/',
      'javascript:alert(1)',
      'file:///etc/passwd',
      'not a url',
      'http://127.0.0.1.attacker.example/',
      5,
      ['https://array.example/'],
      { iss: 'https://object.example/' },
    ]
    for (const iss of malformed) {
      const response = await call(handler, bearer(await tenant.sign({ iss, sub: 'u' })))
      expect(response.statusCode).toBe(401)
    }
    expect(resolver.total()).toBe(0)
    expect(new Set(log.reasons())).toEqual(new Set(['issuer-not-allowed']))
  })

  it('accepts the well-formed forms: https URLs (with or without a path), bare host names, http on loopback', () => {
    for (const iss of [
      'https://tenant.auth0.com/',
      'https://tenant.example',
      'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_AbCdEf123',
      'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
      'accounts.google.com',
      'http://127.0.0.1:8080',
      'http://localhost:3000/tenant',
    ]) {
      expect(isResolvableIssuer(iss)).toBe(true)
    }
  })

  it('a resolver that throws: 503, its message never in the response, not asked again for 1 s', async () => {
    const time = clock()
    const resolver = countingResolver(() => {
      throw new Error('ECONNREFUSED tenants-table.internal:8000 secret=hunter2')
    })
    const handler = resolverAuth(resolver.resolve, { now: time.now })
    const token = await tenant.sign({ sub: 'u' })
    for (let i = 0; i < 3; i++) {
      const response = await call(handler, bearer(token))
      expect(response.statusCode).toBe(503)
      expect(JSON.parse(response.body)).toMatchObject({ code: 'authentication-unavailable' })
      expect(response.body).not.toMatch(/ECONNREFUSED|hunter2|tenants-table/)
    }
    expect(resolver.total()).toBe(1)
    expect(log.reasons()).toEqual(Array(3).fill('issuer-resolver-failed'))
    time.advance(1_000)
    expect((await call(handler, bearer(token))).statusCode).toBe(503)
    expect(resolver.total()).toBe(2)
  })

  it('a resolver that never answers: 503 after issuerCache.timeoutMs (fail closed)', async () => {
    const resolver = countingResolver(() => new Promise<undefined>(() => {}))
    const handler = resolverAuth(resolver.resolve, { issuerCache: { timeoutMs: 50 } })
    const response = await call(handler, bearer(await tenant.sign({ sub: 'u' })))
    expect(response.statusCode).toBe(503)
    expect(log.reasons()).toEqual(['issuer-resolver-failed'])
  })

  it.each<[string, (iss: string) => unknown, RegExp]>([
    [
      'options without algorithms',
      (iss) => ({ issuer: iss, audience: 'api', jwksUri: tenant.jwksUri }),
      /algorithms/,
    ],
    [
      'options with an unknown key',
      (iss) => ({ ...tenantOptions(), issuer: iss, audiance: 'api' }),
      /audiance/,
    ],
    [
      'options for another issuer',
      () => ({ ...tenantOptions(), issuer: 'https://other.example/' }),
      /is not "/,
    ],
    [
      'an issuer template',
      () => ({ ...tenantOptions(), issuer: 'https://idp.example/{tenantid}/v2.0' }),
      /is not "/,
    ],
    [
      'a plain-http jwksUri',
      (iss) => ({ ...tenantOptions(), issuer: iss, jwksUri: 'http://keys.example/' }),
      /https/,
    ],
    ['a string', () => 'https://idp.example/', /must be an object/],
  ])(
    'a resolver answering %s: 503, one event naming the problem, never a crash',
    async (_name, answer, message) => {
      const resolver = countingResolver((iss) => answer(iss) as IssuerOptions)
      const handler = resolverAuth(resolver.resolve)
      const token = await tenant.sign({ sub: 'u' })
      for (let i = 0; i < 2; i++) {
        const response = await call(handler, bearer(token))
        expect(response.statusCode).toBe(503)
        expect(response.body).not.toMatch(message)
      }
      expect(resolver.total()).toBe(1)
      // One decision event per request (denials are counted once); the first names the problem.
      const decisions = log.events().filter((event) => event.type === 'authn.jwt')
      expect(decisions.map((event) => [event.outcome, event.reason])).toEqual([
        ['deny', 'issuer-config-invalid'],
        ['deny', 'issuer-config-invalid'],
      ])
      const configEvents = log.events().filter((event) => event.detail !== undefined)
      expect(configEvents).toHaveLength(1)
      expect(configEvents[0]).toMatchObject({
        reason: 'issuer-config-invalid',
        detail: { issuer: tenant.issuer },
      })
      expect(String(configEvents[0]!.detail!.error)).toMatch(message)
      expect(attacker.requests()).toBe(0)
    },
  )

  it('takes a synchronous answer, and HMAC issuers', async () => {
    const hs = await createTestIssuer({ alg: 'HS256', issuer: 'https://hs-tenant.example/', audience: 'api' })
    const handler = resolverAuth(
      (iss) =>
        iss === hs.issuer
          ? { issuer: iss, audience: 'api', algorithms: ['HS256'], secret: hs.secret }
          : undefined,
      { now: Date.now },
    )
    expect((await call(handler, bearer(await hs.sign({ sub: 'u' })))).statusCode).toBe(200)
  })

  it('passes the unverified header to the resolver', async () => {
    const seen: unknown[] = []
    const handler = resolverAuth(async (iss, header) => {
      seen.push(header.kid)
      return defaultAnswer(iss)
    })
    await call(handler, bearer(await tenant.sign({ sub: 'u' })))
    expect(seen).toEqual([tenant.kid])
  })

  it('defaults: 1000 entries each, 10 min for tenants, 1 min for unknown issuers, 3 s per call', () => {
    expect(issuerCacheDefaults).toEqual({
      maxEntries: 1000,
      ttlSec: 600,
      negativeTtlSec: 60,
      timeoutMs: 3000,
    })
  })

  it.each<[string, Partial<JwtAuthOptions>, RegExp]>([
    [
      'an unknown issuerCache key',
      { issuerCache: { negativeTTLSec: 5 } as never },
      /issuerCache\.negativeTTLSec/,
    ],
    ['a zero ttlSec', { issuerCache: { ttlSec: 0 } }, /issuerCache\.ttlSec/],
    ['a fractional maxEntries', { issuerCache: { maxEntries: 1.5 } }, /issuerCache\.maxEntries/],
    ['a non-number timeout', { issuerCache: { timeoutMs: '5' as never } }, /issuerCache\.timeoutMs/],
    ['a non-object issuerCache', { issuerCache: 5 as never }, /issuerCache/],
  ])('refuses %s at construction', (_name, options, message) => {
    expect(() => jwtAuth({ issuers: countingResolver().resolve, ...options })).toThrow(message)
  })

  it('refuses issuerCache next to a static list', () => {
    expect(() => jwtAuth({ issuers: [tenantOptions()], issuerCache: {} })).toThrow(/resolver only/)
  })
})
