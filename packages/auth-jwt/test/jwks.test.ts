// JWKS issuers against real HTTP servers on 127.0.0.1: @lift/testing's test issuer, plus a few
// misbehaving endpoints (slow, chunked and huge) made here.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import type { SecurityEvent } from '@lift/security-core'
import { type AsymmetricTestIssuer, createTestIssuer } from '@lift/testing'
import { jwtAuth } from '../src/index'
import type { JwtAuthOptions } from '../src/options'
import { clock, NOW_MS } from './support/fixtures'
import { testKeys } from './support/keys'
import { app, bearer, call, captureEvents } from './support/run'
import { startServer } from './support/servers'

let issuer: AsymmetricTestIssuer
let capture: ReturnType<typeof captureEvents>
let events: SecurityEvent[]
const now = () => NOW_MS

beforeAll(async () => {
  issuer = await createTestIssuer({ alg: 'RS256', audience: 'api', now })
})
afterAll(async () => {
  await issuer.close()
})
beforeEach(() => {
  issuer.resetJwks()
  capture = captureEvents()
  events = capture.events
})
afterEach(() => {
  capture.stop()
  jest.restoreAllMocks()
})

const jwksAuth = (options: Partial<JwtAuthOptions> = {}, jwksUri = issuer.jwksUri) =>
  app(
    jwtAuth({
      issuers: [{ issuer: issuer.issuer, audience: 'api', algorithms: ['RS256'], jwksUri }],
      now,
      ...options,
    }),
  )
const reasons = () => events.map((event) => event.reason)

describe('jwtAuth with a JWKS URL', () => {
  it('fetches nothing before the first token, then once for many tokens', async () => {
    const before = issuer.jwksRequests()
    const handler = jwksAuth()
    expect(issuer.jwksRequests()).toBe(before)
    for (let i = 0; i < 5; i++) {
      const response = await call(handler, bearer(await issuer.sign({ sub: `user-${i}` })))
      expect(response.statusCode).toBe(200)
    }
    expect(issuer.jwksRequests()).toBe(before + 1)
  })

  it('coalesces the fetches of concurrent first requests', async () => {
    const before = issuer.jwksRequests()
    const handler = jwksAuth()
    const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => issuer.sign({ sub: `u${i}` })))
    const responses = await Promise.all(tokens.map((token) => call(handler, bearer(token))))
    expect(responses.every((response) => response.statusCode === 200)).toBe(true)
    expect(issuer.jwksRequests()).toBe(before + 1)
  })

  it('refuses an unlisted iss before any key lookup: no JWKS request at all', async () => {
    const before = issuer.jwksRequests()
    const response = await call(
      jwksAuth(),
      bearer(await issuer.sign({ sub: 'u', iss: 'https://evil.example' })),
    )
    expect(response.statusCode).toBe(401)
    expect(reasons()).toEqual(['issuer-not-allowed'])
    expect(issuer.jwksRequests()).toBe(before)
  })

  it('unknown kid flood: many unknown kids cost at most one extra fetch per cooldown', async () => {
    const handler = jwksAuth()
    await call(handler, bearer(await issuer.sign({ sub: 'u' })))
    const before = issuer.jwksRequests()
    for (let i = 0; i < 30; i++) {
      const token = await issuer.sign({ sub: 'u' }, { header: { kid: `unknown-${i}` } })
      expect((await call(handler, bearer(token))).statusCode).toBe(401)
    }
    expect(issuer.jwksRequests() - before).toBeLessThanOrEqual(1)
    expect(
      reasons()
        .slice(1)
        .every((reason) => reason === 'key-not-found'),
    ).toBe(true)
  })

  it('key rotation: a new kid is fetched, the previous key keeps working while published', async () => {
    const handler = jwksAuth({ jwks: { cooldownMs: 0 } })
    const old = await issuer.sign({ sub: 'u' })
    expect((await call(handler, bearer(old))).statusCode).toBe(200)
    await issuer.rotate({ keepPrevious: true })
    const fresh = await issuer.sign({ sub: 'u' })
    expect((await call(handler, bearer(fresh))).statusCode).toBe(200)
    expect((await call(handler, bearer(old))).statusCode).toBe(200)
  })

  it('a key removed from the JWKS stops verifying once the key set is older than cacheMaxAge', async () => {
    const time = clock()
    const handler = jwksAuth({ jwks: { cacheMaxAgeMs: 60_000 }, now: time.now })
    const old = await issuer.sign({ sub: 'u' })
    expect((await call(handler, bearer(old))).statusCode).toBe(200)
    await issuer.rotate()
    expect((await call(handler, bearer(old))).statusCode).toBe(200)
    time.advance(60_001)
    expect((await call(handler, bearer(old))).statusCode).toBe(401)
    expect(reasons()).toEqual(['token-verified', 'token-cached', 'key-not-found'])
  })

  it('a changed key set invalidates cached verdicts', async () => {
    const handler = jwksAuth({ jwks: { cooldownMs: 0 } })
    const token = await issuer.sign({ sub: 'u' })
    await call(handler, bearer(token))
    await call(handler, bearer(token))
    await issuer.rotate({ keepPrevious: true })
    // An unknown kid makes jose refetch; the key set now differs, so the cached verdict is not reused.
    await call(handler, bearer(await issuer.sign({ sub: 'u' }, { header: { kid: 'nope' } })))
    await call(handler, bearer(token))
    expect(reasons()).toEqual(['token-verified', 'token-cached', 'key-not-found', 'token-verified'])
  })

  it('ignores JWKs marked use: enc, without verify in key_ops, or for another alg', async () => {
    for (const jwk of [
      { ...issuer.publicJwk, use: 'enc' },
      { ...issuer.publicJwk, key_ops: ['encrypt'] },
      { ...issuer.publicJwk, alg: 'RS384' },
      { ...issuer.publicJwk, kty: 'EC' },
    ]) {
      issuer.setJwks({ keys: [jwk] })
      const response = await call(jwksAuth(), bearer(await issuer.sign({ sub: 'u' })))
      expect(response.statusCode).toBe(401)
    }
  })

  it('refuses an RSA key under 2048 bits served in the JWKS', async () => {
    const small = { ...testKeys().rsa1024.publicKey.export({ format: 'jwk' }), kid: issuer.kid }
    issuer.setJwks({ keys: [small] })
    const response = await call(jwksAuth(), bearer(await issuer.sign({ sub: 'u' })))
    expect(response.statusCode).toBe(401)
    expect(reasons()).toEqual(['key-alg-mismatch'])
  })

  it('refuses a JWK that cannot be imported', async () => {
    issuer.setJwks({ keys: [{ kty: 'RSA', kid: issuer.kid, alg: 'RS256', use: 'sig', e: 'AQAB' }] })
    const response = await call(jwksAuth(), bearer(await issuer.sign({ sub: 'u' })))
    expect(response.statusCode).toBe(401)
    expect(reasons()).toEqual(['key-unusable'])
  })

  it('tries every matching key when several match (no kid)', async () => {
    const other = { ...testKeys().rsaOther.publicKey.export({ format: 'jwk' }), alg: 'RS256' }
    const { kid: _kid, ...mine } = issuer.publicJwk
    issuer.setJwks({ keys: [other, mine] })
    const token = await issuer.sign({ sub: 'u' }, { header: { kid: undefined } })
    expect((await call(jwksAuth(), bearer(token))).statusCode).toBe(200)
  })
})

describe('jwtAuth when the JWKS endpoint misbehaves (fail closed)', () => {
  const unavailable = async (handler: ReturnType<typeof jwksAuth>, token: string) => {
    const response = await call(handler, bearer(token))
    expect(response.statusCode).toBe(503)
    expect(JSON.parse(response.body)).toMatchObject({ status: 503, code: 'authentication-unavailable' })
    expect(response.body).not.toMatch(/jwks|127\.0\.0\.1|timeout|fetch/i)
    expect(events.at(-1)).toMatchObject({ outcome: 'deny', reason: 'key-source-unavailable' })
  }

  // Every row has all three values: a row shorter than the test function's parameters would make Jest
  // pass its `done` callback as the last one.
  it.each<[string, unknown, { status?: number; contentType?: string }]>([
    ['an error status', { error: 'boom' }, { status: 500 }],
    ['a redirect', '', { status: 302 }],
    ['a non-JSON body', 'not json', {}],
    ['JSON that is not a key set', { keys: 'none' }, {}],
    ['a key set with a non-object key', { keys: [1] }, {}],
    ['a JSON array', [{ keys: [] }], {}],
    ['a huge body', 'x'.repeat(300_000), {}],
  ])('refuses %s', async (_name, body, init) => {
    issuer.setJwks(body, init)
    await unavailable(jwksAuth(), await issuer.sign({ sub: 'u' }))
  })

  it('refuses a huge chunked body (no content-length) while streaming it', async () => {
    let sent = 0
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      const write = () => {
        while (sent < 50 && res.write(chunk)) sent++
        if (sent < 50) res.once('drain', write)
        else res.end()
      }
      write()
    })
    try {
      await unavailable(
        jwksAuth({ jwks: { maxBytes: 100_000 } }, server.url),
        await issuer.sign({ sub: 'u' }),
      )
    } finally {
      await server.close()
    }
  })

  it('gives up on a slow endpoint after timeoutMs', async () => {
    const server = await startServer(() => {})
    try {
      await unavailable(jwksAuth({ jwks: { timeoutMs: 200 } }, server.url), await issuer.sign({ sub: 'u' }))
    } finally {
      await server.close()
    }
  })

  it('when the endpoint is down, a flood of requests costs one fetch per failureCooldownMs', async () => {
    let requests = 0
    const server = await startServer((_req, res) => {
      requests++
      res.writeHead(503).end()
    })
    try {
      const handler = jwksAuth({}, server.url)
      const token = await issuer.sign({ sub: 'u' })
      for (let i = 0; i < 10; i++) await unavailable(handler, token)
      expect(requests).toBe(1)
    } finally {
      await server.close()
    }
  })

  it('refuses when nothing listens', async () => {
    const server = await startServer(() => {})
    await server.close()
    await unavailable(jwksAuth({}, server.url), await issuer.sign({ sub: 'u' }))
  })
})
