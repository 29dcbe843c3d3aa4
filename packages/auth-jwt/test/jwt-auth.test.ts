import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { LiftContext, SecurityEvent } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import type { Request } from '@middy/core'
import type { JwtAlgorithm } from '../src/algorithms'
import { jwtAuth, jwtAuthDefaults } from '../src/index'
import type { IssuerOptions, JwtAuthOptions } from '../src/options'
import { claims, clock, ISS, NOW, NOW_MS, rsaIssuer, signJwt } from './support/fixtures'
import { testKeys } from './support/keys'
import { app, bearer, call, callEvent, captureEvents, eventWithoutRequestId } from './support/run'

let capture: ReturnType<typeof captureEvents>
let events: SecurityEvent[]
beforeEach(() => {
  capture = captureEvents()
  events = capture.events
})
afterEach(() => capture.stop())

const auth = (options: Partial<JwtAuthOptions> = {}) =>
  app(jwtAuth({ issuers: [rsaIssuer()], now: () => NOW_MS, ...options }))
const principalOf = (body: string) => JSON.parse(body)

describe('jwtAuth: accepting tokens', () => {
  it('verifies an RS256 bearer token and sets a frozen principal on the context', async () => {
    const token = await signJwt(claims({ roles: ['admin'], scope: 'read write', custom: { a: 1 } }))
    const response = await call(auth(), bearer(token))
    expect(response.statusCode).toBe(200)
    expect(principalOf(response.body)).toEqual({
      id: 'user-1',
      roles: ['admin'],
      scopes: ['read', 'write'],
      authMethod: 'jwt',
      claims: claims({ roles: ['admin'], scope: 'read write', custom: { a: 1 } }),
      expiresAt: NOW + 300,
    })
  })

  it('keeps the claims read-only', async () => {
    const token = await signJwt(claims({ custom: { a: 1 } }))
    let seen: Record<string, unknown> | undefined
    const handler = app(jwtAuth({ issuers: [rsaIssuer()], now: () => NOW_MS }), {
      before: async (request) => {
        seen = (request.context as unknown as { principal: { claims: Record<string, unknown> } }).principal
          .claims
      },
    })
    await call(handler, bearer(token))
    expect(Object.isFrozen(seen)).toBe(true)
    expect(Object.isFrozen(seen?.custom)).toBe(true)
  })

  it.each<[JwtAlgorithm, IssuerOptions]>([
    ['HS256', { issuer: ISS, audience: 'api', algorithms: ['HS256'], secret: testKeys().secret.export() }],
    ['HS512', { issuer: ISS, audience: 'api', algorithms: ['HS512'], secret: 's'.repeat(64) }],
    ['RS384', rsaIssuer({ algorithms: ['RS384'] })],
    ['PS256', rsaIssuer({ algorithms: ['PS256'] })],
    ['PS512', rsaIssuer({ algorithms: ['PS512'] })],
    ['ES256', rsaIssuer({ algorithms: ['ES256'], publicKey: testKeys().ec256.publicKey })],
    ['ES384', rsaIssuer({ algorithms: ['ES384'], publicKey: testKeys().ec384.publicKey })],
    ['ES512', rsaIssuer({ algorithms: ['ES512'], publicKey: testKeys().ec521.publicKey })],
    ['EdDSA', rsaIssuer({ algorithms: ['EdDSA'], publicKey: testKeys().ed25519.publicKey })],
  ])('verifies %s', async (alg, issuer) => {
    const token = await signJwt(claims(), alg)
    expect((await call(auth({ issuers: [issuer] }), bearer(token))).statusCode).toBe(200)
  })

  it('accepts public keys as PEM, JWK and lists (rotation), and picks a JWK by kid', async () => {
    const { rsa, rsaOther } = testKeys()
    const pem = rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string
    const jwk = { ...rsaOther.publicKey.export({ format: 'jwk' }), kid: 'k2', alg: 'RS256', use: 'sig' }
    const handler = auth({ issuers: [rsaIssuer({ publicKey: [pem, jwk] })] })
    expect((await call(handler, bearer(await signJwt()))).statusCode).toBe(200)
    const other = await signJwt(claims(), 'RS256', { kid: 'k2' }, rsaOther.privateKey)
    expect((await call(handler, bearer(other))).statusCode).toBe(200)
    const wrongKid = await signJwt(claims(), 'RS256', { kid: 'k1' }, rsaOther.privateKey)
    expect((await call(handler, bearer(wrongKid))).statusCode).toBe(401)
  })

  it('accepts several issuers, each with its own keys', async () => {
    const handler = auth({
      issuers: [
        rsaIssuer(),
        { issuer: 'https://other.example', audience: 'api', algorithms: ['HS256'], secret: 's'.repeat(64) },
      ],
    })
    const hs = await signJwt(claims({ iss: 'https://other.example' }), 'HS256')
    expect((await call(handler, bearer(hs))).statusCode).toBe(200)
    const rsForOther = await signJwt(claims({ iss: 'https://other.example' }), 'RS256')
    expect((await call(handler, bearer(rsForOther))).statusCode).toBe(401)
    expect(events.at(-1)?.reason).toBe('alg-not-allowed')
  })
})

describe('jwtAuth: reading the token', () => {
  it('401 with a bare Bearer challenge when the token is missing', async () => {
    const response = await call(auth(), {})
    expect(response.statusCode).toBe(401)
    expect(response.headers['WWW-Authenticate']).toBe('Bearer')
    expect(response.headers['Content-Type']).toBe('application/problem+json')
    expect(JSON.parse(response.body)).toMatchObject({ status: 401, code: 'unauthenticated' })
    expect(events).toEqual([
      expect.objectContaining({ type: 'authn.jwt', outcome: 'deny', reason: 'token-missing' }),
    ])
  })

  it('treats another scheme as no bearer token, and a bare "Bearer" as an invalid one', async () => {
    expect(
      (await call(auth(), { headers: { authorization: 'Basic dXNlcjpwYXNz' } })).headers['WWW-Authenticate'],
    ).toBe('Bearer')
    const bare = await call(auth(), { headers: { authorization: 'Bearer' } })
    expect(bare.headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"')
  })

  it('accepts the scheme in any case and extra spaces', async () => {
    const token = await signJwt()
    expect((await call(auth(), { headers: { authorization: `bEaReR   ${token}` } })).statusCode).toBe(200)
  })

  it('reads a custom header (raw or with a scheme), a cookie or a query parameter', async () => {
    const token = await signJwt()
    expect(
      (await call(auth({ token: { header: 'X-Api-Token' } }), { headers: { 'x-api-token': token } }))
        .statusCode,
    ).toBe(200)
    expect(
      (
        await call(auth({ token: { header: 'x-auth', scheme: 'Token' } }), {
          headers: { 'x-auth': `Token ${token}` },
        })
      ).statusCode,
    ).toBe(200)
    expect(
      (await call(auth({ token: { cookie: 'session' } }), { cookies: { session: token } })).statusCode,
    ).toBe(200)
    expect(
      (await call(auth({ token: { query: 'access_token' } }), { query: { access_token: token } })).statusCode,
    ).toBe(200)
    expect((await call(auth({ token: { cookie: 'session' } }), bearer(token))).statusCode).toBe(401)
    expect((await call(auth({ token: { cookie: 'constructor' } }), {})).statusCode).toBe(401)
  })

  it('credentialsOptional: no token passes without a principal, a bad token is still refused', async () => {
    const handler = auth({ credentialsOptional: true })
    const anonymous = await call(handler, {})
    expect(anonymous.statusCode).toBe(200)
    expect(anonymous.body).toBe('null')
    expect(events.at(-1)).toMatchObject({ outcome: 'allow', reason: 'anonymous' })
    expect((await call(handler, bearer('not.a.token'))).statusCode).toBe(401)
  })

  it('puts the realm into the challenge', async () => {
    const response = await call(auth({ realm: 'lift' }), bearer('x.y.z'))
    expect(response.headers['WWW-Authenticate']).toBe('Bearer realm="lift", error="invalid_token"')
  })
})

describe('jwtAuth: responses never say why', () => {
  it('gives the same body for every invalid-token reason and publishes the reason instead', async () => {
    const expired = await signJwt(claims({ exp: NOW - 100 }))
    const wrongAud = await signJwt(claims({ aud: 'other' }))
    const bodies = new Set<string>()
    for (const token of [expired, wrongAud, 'a.b.c', `${expired}x`]) {
      const response = await call(auth(), bearer(token))
      expect(response.statusCode).toBe(401)
      expect(response.headers['WWW-Authenticate']).toBe('Bearer error="invalid_token"')
      expect(response.body).not.toContain(token)
      expect(response.body).not.toMatch(/expired|audience|signature|malformed/i)
      bodies.add(response.body)
    }
    expect(bodies.size).toBe(1)
    expect(events.map((event) => event.reason)).toEqual([
      'token-expired',
      'audience-mismatch',
      'token-malformed',
      'signature-invalid',
    ])
  })

  it('publishes allow events with principal, tenant and request id', async () => {
    const token = await signJwt()
    await call(auth({ issuers: [rsaIssuer({ tenantId: 't1' })] }), bearer(token, { requestId: 'req-1' }))
    expect(events).toEqual([
      {
        type: 'authn.jwt',
        outcome: 'allow',
        reason: 'token-verified',
        requestId: 'req-1',
        principalId: 'user-1',
        tenantId: 't1',
        at: NOW_MS,
      },
    ])
  })

  it('works the same with nobody subscribed to lift:security', async () => {
    capture.stop()
    expect((await call(auth(), bearer(await signJwt()))).statusCode).toBe(200)
    expect((await call(auth(), bearer('a.b.c'))).statusCode).toBe(401)
    expect(events).toEqual([])
  })

  it('leaves requestId out of the event when the request has none', async () => {
    await callEvent(auth(), eventWithoutRequestId(bearer(await signJwt())))
    expect(events).toHaveLength(1)
    expect(events[0]).not.toHaveProperty('requestId')
    expect(events[0]).toMatchObject({ outcome: 'allow', principalId: 'user-1' })
  })

  it('an error thrown by a user mapping is a 500 without details, and a deny event', async () => {
    const handler = auth({
      roles: {
        map: () => {
          throw new Error('mapping exploded: secret-ish detail')
        },
      },
    })
    const response = await call(handler, bearer(await signJwt()))
    expect(response.statusCode).toBe(500)
    expect(response.body ?? '').not.toContain('secret-ish')
    expect(events.at(-1)).toMatchObject({ outcome: 'deny', reason: 'internal-error' })
  })
})

describe('jwtAuth: principal mapping', () => {
  it('reads roles from configured claims (merged, deduplicated) or a mapping', async () => {
    const token = await signJwt(
      claims({ 'cognito:groups': ['admin', 'ops'], roles: 'ops viewer', permissions: [1] }),
    )
    const merged = await call(
      auth({ roles: { claim: ['cognito:groups', 'roles', 'permissions'] } }),
      bearer(token),
    )
    expect(principalOf(merged.body).roles).toEqual(['admin', 'ops', 'viewer'])
    const mapped = await call(
      auth({ roles: { map: (c) => (c.sub === 'user-1' ? ['owner'] : []) } }),
      bearer(token),
    )
    expect(principalOf(mapped.body).roles).toEqual(['owner'])
    const notArray = await call(auth({ roles: { map: () => 'x' as unknown as string[] } }), bearer(token))
    expect(principalOf(notArray.body).roles).toEqual([])
  })

  it('reads scopes from scope (string), scp (array) or a configured claim', async () => {
    const scp = await signJwt(claims({ scp: ['a', 'b', 'a', 3] }))
    expect(principalOf((await call(auth(), bearer(scp))).body).scopes).toEqual(['a', 'b'])
    const custom = await signJwt(claims({ perms: 'x y', scope: 'ignored' }))
    expect(
      principalOf((await call(auth({ scopes: { claim: 'perms' } }), bearer(custom))).body).scopes,
    ).toEqual(['x', 'y'])
    const none = await signJwt(claims({ scope: 5 }))
    expect(principalOf((await call(auth(), bearer(none))).body).scopes).toEqual([])
  })
})

describe('jwtAuth: tenants', () => {
  const byPath = (view: { pathParameters: Readonly<Record<string, string>> }) => view.pathParameters.tenantId

  it('takes the tenant from the issuer entry, and refuses a token whose claim names another tenant', async () => {
    const handler = auth({ issuers: [rsaIssuer({ tenantId: 'acme' })], tenant: { claim: 'tid' } })
    expect(principalOf((await call(handler, bearer(await signJwt()))).body).tenantId).toBe('acme')
    expect(
      principalOf((await call(handler, bearer(await signJwt(claims({ tid: 'acme' }))))).body).tenantId,
    ).toBe('acme')
    const response = await call(handler, bearer(await signJwt(claims({ tid: 'globex' }))))
    expect(response.statusCode).toBe(401)
    expect(events.at(-1)?.reason).toBe('tenant-claim-mismatch')
  })

  it('takes the tenant from a claim, and refuses a token without one when required', async () => {
    const handler = auth({ tenant: { claim: 'tid', required: true } })
    expect(
      principalOf((await call(handler, bearer(await signJwt(claims({ tid: 'acme' }))))).body).tenantId,
    ).toBe('acme')
    expect((await call(handler, bearer(await signJwt(claims({ tid: '' }))))).statusCode).toBe(401)
    expect((await call(handler, bearer(await signJwt()))).statusCode).toBe(401)
    expect(events.at(-1)?.reason).toBe('tenant-missing')
  })

  it('403 insufficient_scope when the request names another tenant (also from the cache)', async () => {
    const handler = auth({ tenant: { claim: 'tid', fromRequest: byPath } })
    const token = await signJwt(claims({ tid: 'acme' }))
    expect((await call(handler, bearer(token, { pathParameters: { tenantId: 'acme' } }))).statusCode).toBe(
      200,
    )
    expect((await call(handler, bearer(token))).statusCode).toBe(200)
    for (let i = 0; i < 2; i++) {
      const response = await call(handler, bearer(token, { pathParameters: { tenantId: 'globex' } }))
      expect(response.statusCode).toBe(403)
      expect(response.headers['WWW-Authenticate']).toBe('Bearer error="insufficient_scope"')
      expect(events.at(-1)).toMatchObject({
        outcome: 'deny',
        reason: 'tenant-mismatch',
        principalId: 'user-1',
        tenantId: 'acme',
      })
    }
  })
})

describe('jwtAuth: verified-token cache', () => {
  it('serves a token seen before from the cache', async () => {
    const token = await signJwt()
    const handler = auth()
    await call(handler, bearer(token))
    await call(handler, bearer(token))
    expect(events.map((event) => event.reason)).toEqual(['token-verified', 'token-cached'])
  })

  it('cache: false verifies every time', async () => {
    const token = await signJwt()
    const handler = auth({ cache: false })
    await call(handler, bearer(token))
    await call(handler, bearer(token))
    expect(events.map((event) => event.reason)).toEqual(['token-verified', 'token-verified'])
  })

  it('never keeps an entry past the token exp', async () => {
    const time = clock()
    const token = await signJwt(claims({ exp: NOW + 60 }))
    const handler = auth({ now: time.now, clockToleranceSec: 0 })
    expect((await call(handler, bearer(token))).statusCode).toBe(200)
    time.advance(59_999)
    expect((await call(handler, bearer(token))).statusCode).toBe(200)
    time.advance(1)
    expect((await call(handler, bearer(token))).statusCode).toBe(401)
    expect(events.map((event) => event.reason)).toEqual(['token-verified', 'token-cached', 'token-expired'])
  })

  it('does not cache a token accepted only thanks to the clock tolerance', async () => {
    const token = await signJwt(claims({ exp: NOW - 1 }))
    const handler = auth({ clockToleranceSec: 5 })
    await call(handler, bearer(token))
    await call(handler, bearer(token))
    expect(events.map((event) => event.reason)).toEqual(['token-verified', 'token-verified'])
  })

  it('caps entries at maxTtlSec and at iat + maxTokenAgeSec', async () => {
    const time = clock()
    const token = await signJwt(claims({ exp: NOW + 3600, iat: NOW }))
    const handler = auth({ now: time.now, cache: { maxTtlSec: 10 } })
    await call(handler, bearer(token))
    time.advance(10_000)
    await call(handler, bearer(token))
    expect(events.map((event) => event.reason)).toEqual(['token-verified', 'token-verified'])

    const aged = auth({ now: time.now, issuers: [rsaIssuer({ maxTokenAgeSec: 20 })], clockToleranceSec: 0 })
    time.set(NOW_MS)
    events.length = 0
    await call(aged, bearer(token))
    time.advance(21_000)
    expect((await call(aged, bearer(token))).statusCode).toBe(401)
    expect(events.map((event) => event.reason)).toEqual(['token-verified', 'token-too-old'])
  })

  it('keeps at most maxEntries tokens', async () => {
    const handler = auth({ cache: { maxEntries: 1 } })
    const first = await signJwt(claims({ sub: 'a' }))
    const second = await signJwt(claims({ sub: 'b' }))
    for (const token of [first, second, first]) await call(handler, bearer(token))
    expect(events.map((event) => event.reason)).toEqual([
      'token-verified',
      'token-verified',
      'token-verified',
    ])
  })

  it('fast-jwt cache-key collision (GHSA-rp9m-7r4c-75qg): tokens sharing a part never share an entry', async () => {
    const handler = auth()
    const alice = await signJwt(claims({ sub: 'alice' }))
    const bob = await signJwt(claims({ sub: 'bob' }))
    const [aliceHeader, alicePayload, aliceSignature] = alice.split('.') as [string, string, string]
    const bobPayload = bob.split('.')[1]!
    expect(principalOf((await call(handler, bearer(alice))).body).id).toBe('alice')
    // Same header and signature as a cached token, another payload: must be verified, and fail.
    expect((await call(handler, bearer(`${aliceHeader}.${bobPayload}.${aliceSignature}`))).statusCode).toBe(
      401,
    )
    // Same header and payload, another signature: must be verified, and fail.
    const otherSignature = `${aliceSignature.slice(0, -2)}${aliceSignature.endsWith('AA') ? 'BB' : 'AA'}`
    expect((await call(handler, bearer(`${aliceHeader}.${alicePayload}.${otherSignature}`))).statusCode).toBe(
      401,
    )
    expect(principalOf((await call(handler, bearer(bob))).body).id).toBe('bob')
    expect(principalOf((await call(handler, bearer(alice))).body).id).toBe('alice')
  })
})

describe('jwtAuth: synchronous path', () => {
  const requestFor = (token: string) =>
    ({
      event: apiGatewayV2Event(bearer(token)),
      context: lambdaContext(),
      internal: {},
    }) as unknown as Request

  it('with local keys, verifies, serves the cache and refuses without a promise', async () => {
    const { before } = jwtAuth({ issuers: [rsaIssuer()], now: () => NOW_MS })
    const token = await signJwt(claims())
    for (const reason of ['token-verified', 'token-cached']) {
      const request = requestFor(token)
      expect(before!(request)).toBeUndefined()
      expect((request.context as LiftContext).principal?.id).toBe('user-1')
      expect(events.at(-1)).toMatchObject({ outcome: 'allow', reason })
    }
    expect(() => before!(requestFor(`${token.slice(0, -4)}AAAA`))).toThrow(
      expect.objectContaining({ statusCode: 401 }),
    )
    expect(events.at(-1)).toMatchObject({ outcome: 'deny', reason: 'signature-invalid' })
  })
})

describe('jwtAuth: defaults', () => {
  it('exposes frozen defaults', () => {
    expect(Object.isFrozen(jwtAuthDefaults)).toBe(true)
    expect(jwtAuthDefaults).toMatchObject({
      maxTokenBytes: 8192,
      clockToleranceSec: 5,
      credentialsOptional: false,
    })
  })

  it('uses Date.now when no clock is given', async () => {
    const token = await signJwt(claims({ iat: undefined, exp: Math.floor(Date.now() / 1000) + 60 }))
    const response = await call(app(jwtAuth({ issuers: [rsaIssuer()] })), bearer(token))
    expect(response.statusCode).toBe(200)
  })
})
