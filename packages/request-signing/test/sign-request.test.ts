import { createSecretKey, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { createSigner, createVerifier } from '../src/algorithms'
import { contentDigest, memoryNonceStore, signRequest, signWebhook } from '../src/index'
import { ed25519, hmacSecret, NOW_SEC, now, p256, rsa } from './support/keys'

describe('signRequest', () => {
  it('returns Signature-Input, Signature and Content-Digest for a request with a body', () => {
    const headers = signRequest(
      {
        method: 'post',
        url: 'https://api.example.com/orders',
        headers: { 'Content-Type': 'application/json' },
        body: '{"a":1}',
      },
      { keyId: 'k1', key: hmacSecret, alg: 'hmac-sha256', now },
    )
    expect(headers['Content-Digest']).toBe(contentDigest('{"a":1}'))
    expect(headers['Signature-Input']).toBe(
      `sig1=("@method" "@target-uri" "content-digest");created=${NOW_SEC};keyid="k1"`,
    )
    expect(headers.Signature).toMatch(/^sig1=:[A-Za-z0-9+/]+=*:$/)
  })

  it('adds expires, nonce, alg and tag parameters when asked, and a random nonce with nonce: true', () => {
    const a = signRequest(
      { method: 'GET', url: 'https://a.example/' },
      {
        keyId: 'k',
        key: hmacSecret,
        alg: 'hmac-sha256',
        created: 10,
        expires: 20,
        nonce: true,
        includeAlg: true,
        tag: 't',
        label: 'x',
      },
    )
    const b = signRequest(
      { method: 'GET', url: 'https://a.example/' },
      { keyId: 'k', key: hmacSecret, alg: 'hmac-sha256', created: 10, nonce: true },
    )
    expect(a['Signature-Input']).toMatch(
      /^x=\("@method" "@target-uri"\);created=10;expires=20;nonce="[A-Za-z0-9_-]{22}";keyid="k";alg="hmac-sha256";tag="t"$/,
    )
    expect(a['Content-Digest']).toBeUndefined()
    expect(/nonce="([^"]+)"/.exec(a['Signature-Input'])![1]).not.toBe(
      /nonce="([^"]+)"/.exec(b['Signature-Input'])![1],
    )
  })

  it('replaces a Content-Digest header given by the caller and accepts Headers', () => {
    const headers = new Headers({ 'content-digest': 'sha-256=:AAAA:' })
    const signed = signRequest(
      { method: 'PUT', url: 'https://a.example/', headers, body: new Uint8Array([1, 2]) },
      { keyId: 'k', key: hmacSecret, alg: 'hmac-sha256', digest: 'sha-512', components: ['content-digest'] },
    )
    expect(signed['Content-Digest']).toBe(contentDigest(new Uint8Array([1, 2]), 'sha-512'))
    const plain = signRequest(
      { method: 'PUT', url: 'https://a.example/', headers: { 'Content-Digest': 'x' }, body: 'b' },
      { keyId: 'k', key: hmacSecret, alg: 'hmac-sha256' },
    )
    expect(plain['Content-Digest']).toBe(contentDigest('b'))
  })

  it('reuses imported keys (string PEM and KeyObject) across calls', () => {
    const pem = ed25519.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string
    const first = signRequest(
      { method: 'GET', url: 'https://a.example/' },
      { keyId: 'k', key: pem, alg: 'ed25519', created: 1 },
    )
    const second = signRequest(
      { method: 'GET', url: 'https://a.example/' },
      { keyId: 'k', key: pem, alg: 'ed25519', created: 1 },
    )
    expect(second).toEqual(first)
    const viaObject = signRequest(
      { method: 'GET', url: 'https://a.example/' },
      { keyId: 'k', key: ed25519.privateKey, alg: 'ed25519', created: 1 },
    )
    expect(viaObject).toEqual(first)
    expect(
      signRequest(
        { method: 'GET', url: 'https://a.example/' },
        { keyId: 'k', key: ed25519.privateKey, alg: 'ed25519', created: 1 },
      ),
    ).toEqual(first)
  })

  it('validates keyId and alg', () => {
    expect(() =>
      signRequest(
        { method: 'GET', url: 'https://a.example/' },
        { keyId: '', key: hmacSecret, alg: 'hmac-sha256' },
      ),
    ).toThrow('keyId')
    expect(() =>
      signRequest(
        { method: 'GET', url: 'https://a.example/' },
        { keyId: 'k', key: hmacSecret, alg: 'none' as never },
      ),
    ).toThrow('unsupported alg')
  })

  it('a misspelt option is an error, not a signature silently without expiry or with other components', () => {
    const request = { method: 'GET', url: 'https://a.example/?id=1' }
    const base = { keyId: 'k', key: hmacSecret, alg: 'hmac-sha256' as const, now }
    expect(() => signRequest(request, { ...base, expiresIn: 60 } as never)).toThrow(
      'signRequest: unknown option "expiresIn"',
    )
    expect(() => signRequest(request, { ...base, component: ['@method'] } as never)).toThrow(
      'signRequest: unknown option "component"',
    )
    expect(() => signWebhook('{}', { secret: 'whsec_x', timestamp: 5, tolerance: 1 } as never)).toThrow(
      'signWebhook: unknown option "tolerance"',
    )
    expect(() => memoryNonceStore({ maxEntry: 10 } as never)).toThrow(
      'memoryNonceStore: unknown option "maxEntry"',
    )
    // RFC 9530 names the algorithm 'sha-256'; 'sha256' (Node's name) used to fail inside createHash.
    expect(() => signRequest({ ...request, body: '{}' }, { ...base, digest: 'sha256' as never })).toThrow(
      "signRequest: digest must be 'sha-256' or 'sha-512'",
    )
  })
})

describe('algorithms', () => {
  const data = Buffer.from('signature base')

  it.each([
    ['ed25519', ed25519.privateKey, ed25519.publicKey],
    ['ecdsa-p256-sha256', p256.privateKey, p256.publicKey],
    ['rsa-pss-sha512', rsa.privateKey, rsa.publicKey],
  ] as const)(
    '%s: signs and verifies; a private key also serves as verification key',
    (alg, privateKey, publicKey) => {
      const signature = createSigner(privateKey, alg)(data)
      expect(createVerifier(publicKey, alg)(data, signature)).toBe(true)
      expect(createVerifier(privateKey, alg)(data, signature)).toBe(true)
      expect(createVerifier(publicKey.export({ format: 'jwk' }), alg)(data, signature)).toBe(true)
      expect(createVerifier(publicKey.export({ type: 'spki', format: 'der' }), alg)(data, signature)).toBe(
        true,
      )
      expect(
        createSigner(privateKey.export({ type: 'pkcs8', format: 'der' }), alg)(data).length,
      ).toBeGreaterThan(0)
      expect(createSigner(privateKey.export({ format: 'jwk' }), alg)(data).length).toBeGreaterThan(0)
      expect(createVerifier(publicKey, alg)(Buffer.from('other'), signature)).toBe(false)
    },
  )

  it('rsa-pss-sha512: a signature with its leading zero octet stripped is refused (RFC 8017 length check)', () => {
    const sign = createSigner(rsa.privateKey, 'rsa-pss-sha512')
    let signature = sign(data)
    // PSS signing is randomized: re-sign until the signature starts with a zero octet (1 in 256).
    for (let i = 0; i < 4000 && signature[0] !== 0; i++) signature = sign(data)
    expect(signature[0]).toBe(0)
    const verify = createVerifier(rsa.publicKey, 'rsa-pss-sha512')
    expect(verify(data, signature)).toBe(true)
    expect(verify(data, signature.subarray(1))).toBe(false)
  })

  it('ecdsa-p256-sha256 signatures are IEEE P1363 r||s (64 bytes)', () => {
    expect(createSigner(p256.privateKey, 'ecdsa-p256-sha256')(data)).toHaveLength(64)
  })

  it('refuses keys that do not fit the algorithm', () => {
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' })
    const smallRsa = generateKeyPairSync('rsa', { modulusLength: 1024 })
    expect(() => createVerifier(p384.publicKey, 'ecdsa-p256-sha256')).toThrow('P-256')
    expect(() => createVerifier(smallRsa.publicKey, 'rsa-pss-sha512')).toThrow('2048')
    expect(() => createVerifier(p256.publicKey, 'ed25519')).toThrow('ed25519 needs a ed25519 key, got ec')
    expect(() => createVerifier(ed25519.publicKey, 'hmac-sha256')).toThrow('needs a secret key')
    expect(() => createVerifier({ kty: 'oct' } as never, 'hmac-sha256')).toThrow('needs a secret as')
    expect(() => createVerifier('not a pem', 'ed25519')).toThrow('not a valid public key')
    expect(() => createVerifier(hmacSecret, 'ed25519')).toThrow('not a valid public key')
    expect(() => createVerifier(createSecretKey(hmacSecret), 'ed25519')).toThrow('got a secret key')
    expect(() => createSigner(ed25519.publicKey, 'ed25519')).toThrow('needs a private key')
    expect(
      createVerifier(createSecretKey(hmacSecret), 'hmac-sha256')(
        data,
        createSigner(hmacSecret, 'hmac-sha256')(data),
      ),
    ).toBe(true)
  })

  it('rsa-pss-sha512: an RSA-PSS key restricted to another digest or a longer salt is refused when imported, not a 500 per request', () => {
    // `openssl genpkey -algorithm rsa-pss -pkeyopt rsa_pss_keygen_md:sha256` makes such keys; OpenSSL then
    // refuses SHA-512 (RFC 9421 §3.3.1) with "digest not allowed" on every sign and verify.
    // @types/node types saltLength as a string; Node takes the number of bytes.
    const restricted = (digest: string, saltLength: number) =>
      generateKeyPairSync('rsa-pss', {
        modulusLength: 2048,
        hashAlgorithm: digest,
        mgf1HashAlgorithm: digest,
        saltLength: saltLength as unknown as string,
      })
    const sha256Only = restricted('sha256', 32)
    expect(() => createVerifier(sha256Only.publicKey, 'rsa-pss-sha512')).toThrow('SHA-512')
    expect(() => createSigner(sha256Only.privateKey, 'rsa-pss-sha512')).toThrow('SHA-512')
    expect(() => createSigner(restricted('sha512', 100).privateKey, 'rsa-pss-sha512')).toThrow('salt')
    const fitting = restricted('sha512', 64)
    const signature = createSigner(fitting.privateKey, 'rsa-pss-sha512')(data)
    expect(createVerifier(fitting.publicKey, 'rsa-pss-sha512')(data, signature)).toBe(true)
  })
})
