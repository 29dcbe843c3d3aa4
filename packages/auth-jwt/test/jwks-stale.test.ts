// Stale-if-error: a real JWKS server on 127.0.0.1 that fails or stops, and the injected clock.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { type AsymmetricTestIssuer, createTestIssuer } from '@lift/testing'
import { jwtAuth, jwtAuthDefaults } from '../src/index'
import type { JwksOptions } from '../src/options'
import { clock, NOW_MS } from './support/fixtures'
import { app, bearer, call, securityEventLog } from './support/run'
import { type LocalServer, sendJson, startServer } from './support/servers'

const log = securityEventLog()

let issuer: AsymmetricTestIssuer

beforeAll(async () => {
  issuer = await createTestIssuer({ alg: 'RS256', audience: 'api', now: () => NOW_MS })
})
afterAll(async () => {
  await issuer.close()
})
beforeEach(() => {
  issuer.resetJwks()
})

const CACHE_AGE = 60_000
const STALE = 120_000

function staleAuth(time: ReturnType<typeof clock>, jwks: JwksOptions = {}, jwksUri = issuer.jwksUri) {
  return app(
    jwtAuth({
      issuers: [{ issuer: issuer.issuer, audience: 'api', algorithms: ['RS256'], jwksUri }],
      jwks: { cacheMaxAgeMs: CACHE_AGE, staleIfErrorMs: STALE, ...jwks },
      // The token cache would answer without asking the key source; these tests are about the key source.
      cache: false,
      now: time.now,
    }),
  )
}
const staleEvents = () => log.events().filter((event) => event.reason === 'jwks-stale')
const status = async (handler: ReturnType<typeof staleAuth>, token: string) =>
  (await call(handler, bearer(token))).statusCode

describe('jwks.staleIfErrorMs', () => {
  it('defaults to one hour', () => {
    expect(jwtAuthDefaults.jwks.staleIfErrorMs).toBe(3_600_000)
  })

  it('keeps verifying with the last good set while the endpoint fails, and says so once per episode', async () => {
    const time = clock()
    const handler = staleAuth(time)
    const token = await issuer.sign({ sub: 'u' })
    expect(await status(handler, token)).toBe(200)
    const fetched = issuer.jwksRequests()

    issuer.setJwks({ error: 'down' }, { status: 500 })
    time.advance(CACHE_AGE + 1)
    expect(await status(handler, token)).toBe(200)
    expect(issuer.jwksRequests()).toBe(fetched + 1)
    expect(staleEvents()).toHaveLength(1)
    expect(staleEvents()[0]).toMatchObject({
      type: 'authn.jwt',
      outcome: 'allow',
      detail: { issuer: issuer.issuer, ageMs: CACHE_AGE + 1, staleIfErrorMs: STALE },
    })

    // Every failureCooldownMs one more attempt; every request still passes; the event is not repeated.
    for (let i = 0; i < 5; i++) {
      time.advance(1_000)
      expect(await status(handler, token)).toBe(200)
      expect(await status(handler, token)).toBe(200)
    }
    expect(issuer.jwksRequests()).toBe(fetched + 6)
    expect(staleEvents()).toHaveLength(1)
  })

  it('stops at cacheMaxAgeMs + staleIfErrorMs: then 503, fail closed', async () => {
    const time = clock()
    const handler = staleAuth(time)
    const token = await issuer.sign({ sub: 'u' })
    expect(await status(handler, token)).toBe(200)
    issuer.setJwks('', { status: 503 })
    time.advance(CACHE_AGE + STALE - 1)
    expect(await status(handler, token)).toBe(200)
    time.advance(1)
    expect(await status(handler, token)).toBe(503)
    expect(log.events().at(-1)).toMatchObject({ outcome: 'deny', reason: 'key-source-unavailable' })
  })

  it('a new episode after a successful fetch is announced again', async () => {
    const time = clock()
    const handler = staleAuth(time)
    const token = await issuer.sign({ sub: 'u' })
    expect(await status(handler, token)).toBe(200)
    issuer.setJwks('', { status: 500 })
    time.advance(CACHE_AGE + 1)
    expect(await status(handler, token)).toBe(200)
    issuer.resetJwks()
    time.advance(1_000)
    expect(await status(handler, token)).toBe(200)
    issuer.setJwks('', { status: 500 })
    time.advance(CACHE_AGE + 1)
    expect(await status(handler, token)).toBe(200)
    expect(staleEvents()).toHaveLength(2)
  })

  it('serves the last good set when the JWKS server is stopped altogether', async () => {
    const time = clock()
    let server: LocalServer | undefined = await startServer((_request, response) =>
      sendJson(response, issuer.jwks),
    )
    try {
      const handler = staleAuth(time, {}, server.url)
      const token = await issuer.sign({ sub: 'u' })
      expect(await status(handler, token)).toBe(200)
      await server.close()
      const closed = server
      server = undefined
      time.advance(CACHE_AGE + 1)
      expect(await status(handler, token)).toBe(200)
      expect(staleEvents()).toHaveLength(1)
      expect(closed.requests()).toBe(1)
    } finally {
      await server?.close()
    }
  })

  it('staleIfErrorMs: 0 turns it off (503 as soon as the set is past its cache age)', async () => {
    const time = clock()
    const handler = staleAuth(time, { staleIfErrorMs: 0 })
    const token = await issuer.sign({ sub: 'u' })
    expect(await status(handler, token)).toBe(200)
    issuer.setJwks('', { status: 500 })
    time.advance(CACHE_AGE)
    expect(await status(handler, token)).toBe(503)
    expect(staleEvents()).toHaveLength(0)
  })

  it('never applies without a last good set: the first fetch failing is a 503', async () => {
    issuer.setJwks('', { status: 500 })
    const handler = staleAuth(clock())
    expect(await status(handler, await issuer.sign({ sub: 'u' }))).toBe(503)
  })

  it('a key removed from the JWKS stops verifying as soon as the endpoint answers again', async () => {
    const time = clock()
    const handler = staleAuth(time, { cooldownMs: 0 })
    const old = await issuer.sign({ sub: 'u' })
    expect(await status(handler, old)).toBe(200)
    await issuer.rotate()
    issuer.setJwks('', { status: 500 })
    time.advance(CACHE_AGE + 1)
    expect(await status(handler, old)).toBe(200)
    issuer.resetJwks()
    time.advance(1_000)
    expect(await status(handler, old)).toBe(401)
    expect(log.events().at(-1)).toMatchObject({ reason: 'key-not-found' })
  })

  it('an unknown kid during an outage is refused (401) without waiting for the endpoint', async () => {
    const time = clock()
    const handler = staleAuth(time, { cooldownMs: 0 })
    expect(await status(handler, await issuer.sign({ sub: 'u' }))).toBe(200)
    issuer.setJwks('', { status: 500 })
    time.advance(10)
    const unknownKid = await issuer.sign({ sub: 'u' }, { header: { kid: 'rotated-in-during-outage' } })
    expect(await status(handler, unknownKid)).toBe(401)
    expect(log.events().at(-1)).toMatchObject({ reason: 'key-not-found' })
    // The set is still within its cache age: nothing stale to announce.
    expect(staleEvents()).toHaveLength(0)
  })

  it('a refetch with unchanged content keeps the key-set generation: cached verdicts stay usable', async () => {
    const time = clock()
    const handler = app(
      jwtAuth({
        issuers: [{ issuer: issuer.issuer, audience: 'api', algorithms: ['RS256'], jwksUri: issuer.jwksUri }],
        jwks: { cacheMaxAgeMs: CACHE_AGE },
        now: time.now,
      }),
    )
    const first = await issuer.sign({ sub: 'first' })
    expect(await status(handler, first)).toBe(200)
    time.advance(CACHE_AGE)
    // Another token makes the source refetch the (same) set; the first token's verdict is still good.
    expect(await status(handler, await issuer.sign({ sub: 'second' }))).toBe(200)
    expect(await status(handler, first)).toBe(200)
    expect(log.events().map((event) => event.reason)).toEqual([
      'token-verified',
      'token-verified',
      'token-cached',
    ])
  })

  it.each([
    ['negative', -1],
    ['fractional', 1.5],
  ])('refuses a %s staleIfErrorMs at construction', (_name, value) => {
    expect(() =>
      jwtAuth({
        issuers: [{ issuer: issuer.issuer, audience: 'api', algorithms: ['RS256'], jwksUri: issuer.jwksUri }],
        jwks: { staleIfErrorMs: value },
      }),
    ).toThrow(/jwks.staleIfErrorMs/)
  })
})
