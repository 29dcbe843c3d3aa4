import { afterAll, describe, expect, it } from '@jest/globals'
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  generateKeyPair,
  importSPKI,
  jwtVerify,
} from 'jose'
import { type AsymmetricAlgorithm, createTestIssuer, type TestIssuer } from '../src/index'

const opened: TestIssuer[] = []
async function issuerFor<T extends TestIssuer>(created: Promise<T>): Promise<T> {
  const issuer = await created
  opened.push(issuer)
  return issuer
}

afterAll(async () => {
  await Promise.all(opened.map((issuer) => issuer.close()))
})

describe('createTestIssuer with a key pair', () => {
  it.each<AsymmetricAlgorithm>(['RS256', 'ES256', 'EdDSA', 'PS256'])(
    '%s tokens verify with jose against the JWKS served on 127.0.0.1',
    async (alg) => {
      const issuer = await issuerFor(createTestIssuer({ alg, audience: 'api://orders' }))
      expect(new URL(issuer.jwksUri).hostname).toBe('127.0.0.1')
      expect(issuer.issuer).toBe(new URL(issuer.jwksUri).origin)
      const token = await issuer.sign({ sub: 'user-1', scope: 'orders:read' })

      const { payload, protectedHeader } = await jwtVerify(
        token,
        createRemoteJWKSet(new URL(issuer.jwksUri)),
        {
          issuer: issuer.issuer,
          audience: 'api://orders',
          algorithms: [alg],
        },
      )
      expect(payload).toMatchObject({
        sub: 'user-1',
        scope: 'orders:read',
        iss: issuer.issuer,
        aud: 'api://orders',
      })
      expect(payload.exp! - payload.iat!).toBe(300)
      expect(protectedHeader).toEqual({ alg, typ: 'JWT', kid: issuer.kid })
      expect(issuer.jwks.keys).toEqual([expect.objectContaining({ kid: issuer.kid, alg, use: 'sig' })])
      expect(issuer.jwks.keys[0]).not.toHaveProperty('d')
      expect(issuer.jwksRequests()).toBe(1)
    },
  )

  it('exposes the public key as CryptoKey, JWK and PEM, and the private key for signing elsewhere', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'ES256', serve: false }))
    const token = await issuer.sign({ sub: 'a' })
    await expect(jwtVerify(token, issuer.publicKey)).resolves.toBeDefined()
    await expect(jwtVerify(token, await importSPKI(issuer.publicKeyPem, 'ES256'))).resolves.toBeDefined()
    expect(issuer.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: issuer.kid })
    expect(issuer.publicJwk).not.toHaveProperty('d')
    expect(issuer.privateKey.type).toBe('private')
    expect(issuer.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/)
  })

  it('without a server has no JWKS URL and says why', async () => {
    const issuer = await issuerFor(createTestIssuer({ serve: false, issuer: 'https://idp.example' }))
    expect(issuer.issuer).toBe('https://idp.example')
    expect(() => issuer.jwksUri).toThrow(/serve: false/)
    expect(() => issuer.discoveryUri).toThrow(/serve: false/)
    expect(() => issuer.jwksRequests()).toThrow(/serve: false/)
    expect(() => issuer.setJwks({})).toThrow(/serve: false/)
    expect(issuer.jwks.keys).toHaveLength(1)
  })

  it('serves an OpenID discovery document naming the issuer and JWKS URL', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'ES256', issuer: 'https://idp.example/tenant-a' }))
    const response = await fetch(issuer.discoveryUri, { signal: AbortSignal.timeout(5_000) })
    expect(await response.json()).toEqual({
      issuer: 'https://idp.example/tenant-a',
      jwks_uri: issuer.jwksUri,
      id_token_signing_alg_values_supported: ['ES256'],
    })
    const missing = await fetch(new URL('/nope', issuer.jwksUri), { signal: AbortSignal.timeout(5_000) })
    expect(missing.status).toBe(404)
    await missing.arrayBuffer()
    expect(issuer.jwksRequests()).toBe(0)
  })

  it('counts every JWKS request', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'ES256' }))
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${issuer.jwksUri}?attempt=${i}`, { signal: AbortSignal.timeout(5_000) })
      expect(response.headers.get('content-type')).toBe('application/json')
      expect(await response.json()).toEqual(issuer.jwks)
    }
    expect(issuer.jwksRequests()).toBe(3)
  })

  it('rotate() replaces the key: new tokens verify with the new JWKS, old ones no longer do', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'ES256', kid: 'key-1' }))
    const oldToken = await issuer.sign({ sub: 'u' })
    const newKid = await issuer.rotate()
    expect(newKid).toBe(issuer.kid)
    expect(newKid).not.toBe('key-1')
    const newToken = await issuer.sign({ sub: 'u' })
    expect(decodeProtectedHeader(newToken).kid).toBe(newKid)

    const jwks = createRemoteJWKSet(new URL(issuer.jwksUri))
    await expect(jwtVerify(newToken, jwks)).resolves.toBeDefined()
    await expect(jwtVerify(oldToken, jwks)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey)
    expect(issuer.jwks.keys.map((key) => key.kid)).toEqual([newKid])
  })

  it('rotate({ keepPrevious }) publishes both keys, as during a real rotation', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'EdDSA', kid: 'old' }))
    const oldToken = await issuer.sign()
    await issuer.rotate({ kid: 'new', keepPrevious: true })
    expect(issuer.jwks.keys.map((key) => key.kid)).toEqual(['new', 'old'])
    const jwks = createRemoteJWKSet(new URL(issuer.jwksUri))
    await expect(jwtVerify(oldToken, jwks)).resolves.toBeDefined()
    await expect(jwtVerify(await issuer.sign(), jwks)).resolves.toBeDefined()
  })

  it('setJwks serves arbitrary bodies (huge, invalid, error status) and resetJwks restores the real set', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'ES256' }))
    const get = async () => {
      const response = await fetch(issuer.jwksUri, { signal: AbortSignal.timeout(5_000) })
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        body: await response.text(),
      }
    }
    issuer.setJwks('{not json')
    expect(await get()).toEqual({ status: 200, type: 'application/json', body: '{not json' })
    const huge = { keys: Array.from({ length: 2_000 }, (_, i) => ({ ...issuer.publicJwk, kid: `k${i}` })) }
    issuer.setJwks(huge)
    expect(JSON.parse((await get()).body).keys).toHaveLength(2_000)
    issuer.setJwks(Buffer.from('<html>'), { status: 503, contentType: 'text/html' })
    expect(await get()).toEqual({ status: 503, type: 'text/html', body: '<html>' })
    issuer.resetJwks()
    expect(JSON.parse((await get()).body)).toEqual(issuer.jwks)
    expect(issuer.jwksRequests()).toBe(4)
  })

  it('a served-but-invalid JWKS makes jose verification fail (attack-test support)', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'ES256' }))
    issuer.setJwks({ keys: 'not-an-array' })
    await expect(
      jwtVerify(await issuer.sign(), createRemoteJWKSet(new URL(issuer.jwksUri))),
    ).rejects.toBeInstanceOf(errors.JWKSInvalid)
  })
})

describe('sign()', () => {
  it('lets claims override or remove the defaults and header fields be replaced or removed', async () => {
    let now = Date.UTC(2030, 0, 1)
    const issuer = await issuerFor(
      createTestIssuer({ alg: 'ES256', serve: false, now: () => now, expiresInSec: 60 }),
    )
    const token = await issuer.sign(
      { iss: 'https://evil.example', exp: undefined, tenant: 'acme' },
      { header: { typ: 'at+jwt', kid: undefined, jku: 'https://evil.example/jwks' } },
    )
    const { payload, protectedHeader } = await jwtVerify(token, issuer.publicKey, {
      currentDate: new Date(now),
    })
    expect(payload).toEqual({ iss: 'https://evil.example', iat: now / 1000, tenant: 'acme' })
    expect(protectedHeader).toEqual({ alg: 'ES256', typ: 'at+jwt', jku: 'https://evil.example/jwks' })

    now += 1_000
    const short = await issuer.sign({}, { expiresIn: 5 })
    const { payload: shortPayload } = await jwtVerify(short, issuer.publicKey, { currentDate: new Date(now) })
    expect(shortPayload.exp).toBe(now / 1000 + 5)
    await expect(
      jwtVerify(short, issuer.publicKey, { currentDate: new Date(now + 6_000) }),
    ).rejects.toBeInstanceOf(errors.JWTExpired)
  })

  it('signs with another key when asked (a forged token does not verify against the issuer)', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'ES256', serve: false }))
    const attacker = await generateKeyPair('ES256')
    const forged = await issuer.sign({ sub: 'admin' }, { key: attacker.privateKey })
    expect(decodeProtectedHeader(forged).kid).toBe(issuer.kid)
    await expect(jwtVerify(forged, issuer.publicKey)).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    )
  })

  it('can produce the RS256 → HS256 confusion token (public key PEM as HMAC secret)', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'RS256', serve: false }))
    const pemBytes = new TextEncoder().encode(issuer.publicKeyPem)
    const confused = await issuer.sign({ sub: 'admin' }, { header: { alg: 'HS256' }, key: pemBytes })
    expect(decodeProtectedHeader(confused).alg).toBe('HS256')
    await expect(jwtVerify(confused, pemBytes)).resolves.toBeDefined()
    await expect(jwtVerify(confused, issuer.publicKey)).rejects.toThrow()
  })
})

describe('createTestIssuer with HS*', () => {
  it('HS256 tokens verify with the secret; nothing is served', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'HS256', audience: ['a', 'b'] }))
    expect(issuer.secret).toHaveLength(32)
    expect(issuer.issuer).toBe('https://issuer.lift.test')
    expect(issuer).not.toHaveProperty('jwksUri')
    const token = await issuer.sign({ sub: 'svc' })
    const { payload, protectedHeader } = await jwtVerify(token, issuer.secret, {
      audience: 'b',
      algorithms: ['HS256'],
    })
    expect(payload).toMatchObject({ sub: 'svc', aud: ['a', 'b'] })
    expect(protectedHeader.kid).toBe(issuer.kid)
    await issuer.close()
  })

  it('accepts a given secret and rotates to a new one', async () => {
    const issuer = await issuerFor(createTestIssuer({ alg: 'HS512', secret: 'x'.repeat(64), kid: 'hs-1' }))
    expect(Buffer.from(issuer.secret).toString()).toBe('x'.repeat(64))
    const before = await issuer.sign()
    const oldSecret = issuer.secret
    expect(await issuer.rotate()).toBe(issuer.kid)
    expect(issuer.kid).not.toBe('hs-1')
    expect(issuer.secret).toHaveLength(64)
    await expect(jwtVerify(before, oldSecret)).resolves.toBeDefined()
    await expect(jwtVerify(before, issuer.secret)).rejects.toBeInstanceOf(
      errors.JWSSignatureVerificationFailed,
    )
    await expect(jwtVerify(await issuer.sign(), issuer.secret)).resolves.toBeDefined()
    expect(await issuer.rotate({ kid: 'hs-3' })).toBe('hs-3')
    const bytes = await issuerFor(createTestIssuer({ alg: 'HS384', secret: new Uint8Array(48).fill(7) }))
    expect(bytes.secret).toEqual(new Uint8Array(48).fill(7))
  })
})

describe('createTestIssuer options', () => {
  it('rejects an unsupported algorithm and a bad lifetime with a clear message', async () => {
    await expect(createTestIssuer({ alg: 'none' as never })).rejects.toThrow(/unsupported alg "none"/)
    await expect(createTestIssuer({ alg: 'toString' as never })).rejects.toThrow(/unsupported alg/)
    await expect(createTestIssuer({ expiresInSec: -1 })).rejects.toThrow(/expiresInSec/)
  })

  it('close() is safe to call twice and stops the server', async () => {
    const issuer = await createTestIssuer({ alg: 'ES256' })
    const uri = issuer.jwksUri
    await issuer.close()
    await issuer.close()
    await expect(fetch(uri, { signal: AbortSignal.timeout(5_000) })).rejects.toThrow()
  })
})
