// HMAC secrets from Secrets Manager, through the core secrets provider and the real AWS SDK, against the
// Secrets Manager stand-in on 127.0.0.1 that @lift/security-core's tests use.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createSecretsProvider, type SecurityEvent } from '@lift/security-core'
import { type SecretsManagerServer, startSecretsManagerServer } from '@lift/testing'
import { jwtAuth } from '../src/index'
import type { JwtAuthOptions, SecretRef } from '../src/options'
import { claims, ISS, NOW_MS, signJwt } from './support/fixtures'
import { app, bearer, call, captureEvents } from './support/run'

const OLD = 'o'.repeat(40)
const NEW = 'n'.repeat(40)

let server: SecretsManagerServer
let capture: ReturnType<typeof captureEvents>
let events: SecurityEvent[]

beforeAll(async () => {
  server = await startSecretsManagerServer()
})
afterAll(async () => {
  await server.close()
})
beforeEach(() => {
  server.reset()
  capture = captureEvents()
  events = capture.events
})
afterEach(() => capture.stop())

const clientConfig = () => ({
  endpoint: server.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
})

const hsAuth = (secretRef: string | SecretRef = 'jwt-secret', options: Partial<JwtAuthOptions> = {}) =>
  app(
    jwtAuth({
      issuers: [{ issuer: ISS, audience: 'api', algorithms: ['HS256'], secretRef }],
      secretsProvider: createSecretsProvider({
        clientConfig: clientConfig(),
        now: () => NOW_MS,
        onStaleServed: () => {},
      }),
      now: () => NOW_MS,
      ...options,
    }),
  )
const tokenSignedWith = (secret: string, sub = 'user-1') =>
  signJwt(claims({ sub }), 'HS256', {}, new TextEncoder().encode(secret))

describe('jwtAuth with secretRef (Secrets Manager)', () => {
  it('verifies with the AWSCURRENT secret, fetched on first use and then cached', async () => {
    server.putSecret('jwt-secret', NEW)
    const handler = hsAuth()
    expect(server.requestCount).toBe(0)
    for (let i = 0; i < 3; i++) {
      expect((await call(handler, bearer(await tokenSignedWith(NEW, `u${i}`)))).statusCode).toBe(200)
    }
    expect(server.requests.filter((r) => (r.versionStage ?? 'AWSCURRENT') === 'AWSCURRENT')).toHaveLength(1)
  })

  it('rotation never locks users out: tokens signed with the previous secret keep verifying', async () => {
    server.putSecret('jwt-secret', OLD)
    server.rotateSecret('jwt-secret', NEW)
    const handler = hsAuth()
    expect((await call(handler, bearer(await tokenSignedWith(OLD)))).statusCode).toBe(200)
    expect((await call(handler, bearer(await tokenSignedWith(NEW)))).statusCode).toBe(200)
    expect((await call(handler, bearer(await tokenSignedWith('x'.repeat(40))))).statusCode).toBe(401)
    expect(events.at(-1)?.reason).toBe('signature-invalid')
  })

  it('reads a field of a JSON secret', async () => {
    server.putSecret('app', JSON.stringify({ jwtSecret: NEW, other: 'x' }))
    const response = await call(
      hsAuth({ secretId: 'app', field: 'jwtSecret' }),
      bearer(await tokenSignedWith(NEW)),
    )
    expect(response.statusCode).toBe(200)
  })

  it('fails closed (503, key-source-unavailable) when Secrets Manager fails or the secret is missing', async () => {
    server.failNext('internal-error', 10)
    const failing = await call(hsAuth(), bearer(await tokenSignedWith(NEW)))
    expect(failing.statusCode).toBe(503)
    expect(events.at(-1)).toMatchObject({ outcome: 'deny', reason: 'key-source-unavailable' })
    const missing = await call(hsAuth('no-such-secret'), bearer(await tokenSignedWith(NEW)))
    expect(missing.statusCode).toBe(503)
    expect(missing.body).not.toContain('no-such-secret')
  })

  it('refuses a stored secret that is too short or looks like a PEM key, without revealing it', async () => {
    server.putSecret('short', 'tiny')
    const short = await call(hsAuth('short'), bearer(await tokenSignedWith(NEW)))
    expect(short.statusCode).toBe(503)
    expect(short.body).not.toContain('tiny')
    expect(events.at(-1)?.reason).toBe('secret-unusable')
    server.putSecret('pem', `-----BEGIN PUBLIC KEY-----\n${'A'.repeat(64)}\n-----END PUBLIC KEY-----`)
    expect((await call(hsAuth('pem'), bearer(await tokenSignedWith(NEW)))).statusCode).toBe(503)
    server.putSecret('json', JSON.stringify({ jwtSecret: 5 }))
    expect(
      (await call(hsAuth({ secretId: 'json', field: 'jwtSecret' }), bearer(await tokenSignedWith(NEW))))
        .statusCode,
    ).toBe(503)
  })

  it('a changed secret invalidates cached verdicts', async () => {
    let current: string = OLD
    const provider = {
      get: async () => current,
      getRotating: async () => ({ current }),
      prefetch: async () => {},
    }
    const handler = app(
      jwtAuth({
        issuers: [{ issuer: ISS, audience: 'api', algorithms: ['HS256'], secretRef: 'id' }],
        secretsProvider: provider,
        now: () => NOW_MS,
      }),
    )
    const oldToken = await tokenSignedWith(OLD)
    await call(handler, bearer(oldToken))
    await call(handler, bearer(oldToken))
    current = NEW
    await call(handler, bearer(await tokenSignedWith(NEW, 'other')))
    expect((await call(handler, bearer(oldToken))).statusCode).toBe(401)
    expect(events.map((event) => event.reason)).toEqual([
      'token-verified',
      'token-cached',
      'token-verified',
      'signature-invalid',
    ])
    // Many rotations keep working (the imported-key memo stays bounded).
    for (const letter of 'abcdef') {
      current = letter.repeat(40)
      expect((await call(handler, bearer(await tokenSignedWith(current, letter)))).statusCode).toBe(200)
    }
  })

  describe('a signer that sees a rotation before the verifier does', () => {
    const NEWER = 'w'.repeat(40)
    const FORGED = 'f'.repeat(40)

    /** A verifier that has cached {NEW, OLD}; then Secrets Manager rotates to NEWER. */
    async function rotatedBehindTheVerifier() {
      server.putSecret('jwt-secret', OLD)
      server.rotateSecret('jwt-secret', NEW)
      let clock = NOW_MS
      const handler = hsAuth('jwt-secret', {
        secretsProvider: createSecretsProvider({ clientConfig: clientConfig(), now: () => clock }),
      })
      expect((await call(handler, bearer(await tokenSignedWith(NEW, 'warm')))).statusCode).toBe(200)
      server.rotateSecret('jwt-secret', NEWER)
      const readsBefore = server.requestCount
      return {
        handler,
        reads: () => server.requestCount - readsBefore,
        advance: (ms: number) => {
          clock += ms
        },
      }
    }

    it("rotation: a token signed with the new AWSCURRENT before the verifier's cache expires is accepted after one refetch", async () => {
      const { handler, reads } = await rotatedBehindTheVerifier()
      expect((await call(handler, bearer(await tokenSignedWith(NEWER)))).statusCode).toBe(200)
      expect(reads()).toBe(2) // AWSCURRENT changed: AWSPREVIOUS is read again with it
      expect((await call(handler, bearer(await tokenSignedWith(NEW, 'u2')))).statusCode).toBe(200)
      expect((await call(handler, bearer(await tokenSignedWith(OLD, 'u3')))).statusCode).toBe(401)
      expect(reads()).toBe(2)
    })

    it('attack: bad signatures cause at most one Secrets Manager read per cooldown', async () => {
      const { handler, reads, advance } = await rotatedBehindTheVerifier()
      for (let i = 0; i < 5; i++) {
        expect((await call(handler, bearer(await tokenSignedWith(FORGED, `a${i}`)))).statusCode).toBe(401)
      }
      expect(reads()).toBe(2)
      expect(events.at(-1)?.reason).toBe('signature-invalid')
      advance(29_999)
      expect((await call(handler, bearer(await tokenSignedWith(FORGED, 'b')))).statusCode).toBe(401)
      expect(reads()).toBe(2)
      advance(1)
      expect((await call(handler, bearer(await tokenSignedWith(FORGED, 'c')))).statusCode).toBe(401)
      expect(reads()).toBe(3) // AWSCURRENT unchanged: one read
    })

    it('concurrent misses share one refetch', async () => {
      const { handler, reads } = await rotatedBehindTheVerifier()
      const tokens = await Promise.all(
        Array.from({ length: 8 }, (_, i) => tokenSignedWith(i % 2 === 0 ? NEWER : FORGED, `c${i}`)),
      )
      const responses = await Promise.all(tokens.map((token) => call(handler, bearer(token))))
      expect(responses.map((response) => response.statusCode)).toEqual([
        200, 401, 200, 401, 200, 401, 200, 401,
      ])
      expect(reads()).toBe(2)
    })

    it('a failing refetch keeps the 401 of a bad signature (no 503); the cached secrets keep verifying', async () => {
      const { handler, reads } = await rotatedBehindTheVerifier()
      server.failNext('internal-error', 5)
      expect((await call(handler, bearer(await tokenSignedWith(FORGED)))).statusCode).toBe(401)
      expect(events.at(-1)?.reason).toBe('signature-invalid')
      expect(reads()).toBe(1)
      expect((await call(handler, bearer(await tokenSignedWith(NEW, 'still')))).statusCode).toBe(200)
    })
  })

  it('creates the default provider on first use (AWS SDK configured from the environment)', async () => {
    server.putSecret('env-secret', NEW)
    const saved = { ...process.env }
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: server.endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    })
    try {
      const handler = app(
        jwtAuth({
          issuers: [{ issuer: ISS, audience: 'api', algorithms: ['HS256'], secretRef: 'env-secret' }],
          now: () => NOW_MS,
        }),
      )
      expect((await call(handler, bearer(await tokenSignedWith(NEW)))).statusCode).toBe(200)
    } finally {
      process.env = saved
    }
  })
})
