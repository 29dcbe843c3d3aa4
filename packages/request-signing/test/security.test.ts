import { createHmac, createSecretKey } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import type { apiGatewayV2Event } from '@lift/testing'
import {
  contentDigest,
  contentDigestMatches,
  memoryNonceStore,
  signRequest,
  type VerifySignatureOptions,
  verifySignature,
} from '../src/index'
import { invoke } from './support/harness'
import { ed25519, hmacSecret, hmacSign, keys, NOW_MS, NOW_SEC, now } from './support/keys'
import { signedTestRequest } from './support/signed-test-request'

type Event = ReturnType<typeof apiGatewayV2Event>
const body = JSON.stringify({ amount: 100, to: 'alice' })

async function expectDenied(event: unknown, reason: string, options: Partial<VerifySignatureOptions> = {}) {
  const outcome = await invoke({ keys, now, ...options }, event)
  expect(outcome.statusCode).toBe(401)
  expect(outcome.body).not.toContain(reason)
  expect(outcome.events).toEqual([expect.objectContaining({ type: 'signature', outcome: 'deny', reason })])
  return outcome
}

function signedPost(extra: Parameters<typeof signRequest>[1] | object = {}): Event {
  return signedTestRequest(
    { url: 'https://api.example.com/transfers?account=1', body, headers: { 'x-request-kind': 'transfer' } },
    {
      ...hmacSign,
      components: ['@method', '@target-uri', '@path', '@query', 'x-request-kind', 'content-digest'],
      ...extra,
    },
  )
}

function withHeaders(event: Event, headers: Record<string, string>): Event {
  return { ...event, headers: { ...event.headers, ...headers } }
}

describe('request-signing security suite', () => {
  it('baseline: the untampered request is accepted', async () => {
    expect((await invoke({ keys, now }, signedPost())).statusCode).toBe(200)
  })

  it('tampered method is rejected', async () => {
    const event = signedPost()
    await expectDenied(
      {
        ...event,
        requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: 'PUT' } },
      },
      'bad-signature',
    )
  })

  it('tampered path is rejected', async () => {
    await expectDenied({ ...signedPost(), rawPath: '/admin' }, 'bad-signature')
  })

  it('tampered query is rejected', async () => {
    await expectDenied({ ...signedPost(), rawQueryString: 'account=2' }, 'bad-signature')
  })

  it('tampered covered header is rejected', async () => {
    await expectDenied(withHeaders(signedPost(), { 'x-request-kind': 'refund' }), 'bad-signature')
  })

  it('tampered body with the original digest is rejected (digest mismatch)', async () => {
    await expectDenied({ ...signedPost(), body: body.replace('100', '999') }, 'digest-mismatch')
  })

  it('body replaced together with a recomputed digest is rejected (the digest is signed)', async () => {
    const tampered = body.replace('alice', 'mallory')
    const digest = `sha-256=:${createHmac('sha256', 'x').update('').digest('base64')}:`
    await expectDenied(
      { ...withHeaders(signedPost(), { 'content-digest': digest }), body: tampered },
      'bad-signature',
    )
  })

  it('digest that names only an unsupported algorithm, or is malformed, does not match', () => {
    const bytes = Buffer.from(body)
    expect(contentDigestMatches(contentDigest(body, 'sha-512'), bytes)).toBe(true)
    expect(contentDigestMatches('md5=:AAAA:', bytes)).toBe(false)
    expect(contentDigestMatches(`${contentDigest(body)}, sha-512=:AAAA:`, bytes)).toBe(false)
    expect(contentDigestMatches('sha-256="not bytes"', bytes)).toBe(false)
    expect(contentDigestMatches('sha-256=:AAAA', bytes)).toBe(false)
    expect(contentDigestMatches(contentDigest(body, 'sha-512'), bytes, ['sha-256'])).toBe(false)
  })

  it('body that the signature does not cover (no content-digest) is rejected', async () => {
    const event = signedTestRequest({ body }, { ...hmacSign, components: ['@method', '@target-uri'] })
    await expectDenied(event, 'required-component-missing')
    await expectDenied(event, 'body-not-covered', { requiredComponents: ['@method'] })
  })

  it('missing required component is rejected', async () => {
    const event = signedTestRequest({}, { ...hmacSign, components: ['@method'] })
    await expectDenied(event, 'required-component-missing')
  })

  it('expired signature is rejected', async () => {
    await expectDenied(signedTestRequest({}, { ...hmacSign, expires: NOW_SEC - 31 }), 'signature-expired')
  })

  it('signature older than maxAgeSec is rejected', async () => {
    await expectDenied(signedTestRequest({}, { ...hmacSign, created: NOW_SEC - 400 }), 'signature-too-old')
  })

  it('created in the future beyond the clock skew is rejected, within it accepted', async () => {
    await expectDenied(signedTestRequest({}, { ...hmacSign, created: NOW_SEC + 31 }), 'created-in-future')
    expect(
      (await invoke({ keys, now }, signedTestRequest({}, { ...hmacSign, created: NOW_SEC + 29 }))).statusCode,
    ).toBe(200)
  })

  it('signature without created is rejected', async () => {
    const event = signedTestRequest({}, hmacSign)
    const input = event.headers['signature-input']!.replace(/;created=\d+/, '')
    await expectDenied(withHeaders(event, { 'signature-input': input }), 'created-missing')
  })

  it('signature without keyid is rejected', async () => {
    const event = signedTestRequest({}, hmacSign)
    const input = event.headers['signature-input']!.replace(/;keyid="[^"]*"/, '')
    await expectDenied(withHeaders(event, { 'signature-input': input }), 'keyid-missing')
  })

  it('unknown keyid is rejected', async () => {
    await expectDenied(signedTestRequest({}, { ...hmacSign, keyId: 'svc-unknown' }), 'unknown-keyid')
  })

  it('alg parameter that disagrees with the key entry is rejected', async () => {
    const event = signedTestRequest(
      {},
      { keyId: 'svc-ed', key: ed25519.privateKey, alg: 'ed25519', now, includeAlg: true },
    )
    const input = event.headers['signature-input']!.replace('alg="ed25519"', 'alg="hmac-sha256"')
    await expectDenied(withHeaders(event, { 'signature-input': input }), 'alg-mismatch')
  })

  it('HMAC key used as a public key: a signature HMAC-ed with the public key PEM is rejected', async () => {
    const publicPem = ed25519.publicKey.export({ type: 'spki', format: 'pem' }) as string
    const pemKeys = { 'svc-ed': { key: publicPem, alg: 'ed25519' as const } }
    for (const includeAlg of [true, false]) {
      // Lift's signer refuses a PEM string as an HMAC secret; a KeyObject gets the forgery through.
      const forgeryKey = createSecretKey(Buffer.from(publicPem))
      const event = signedTestRequest({}, { ...hmacSign, keyId: 'svc-ed', key: forgeryKey, includeAlg })
      const outcome = await invoke({ keys: pemKeys, now }, event)
      expect(outcome.statusCode).toBe(401)
      expect(outcome.events[0]!.reason).toBe(includeAlg ? 'alg-mismatch' : 'bad-signature')
    }
    expect(() => verifySignature({ keys: { k: { key: publicPem, alg: 'hmac-sha256' } } })).toThrow('PEM')
    expect(() =>
      verifySignature({ keys: { k: { key: Buffer.from(publicPem), alg: 'hmac-sha256' } } }),
    ).toThrow('PEM')
  })

  it('signature over a different label is rejected', async () => {
    const event = signedTestRequest({}, { ...hmacSign, label: 'sig1' })
    const other = signedTestRequest({ url: 'https://api.example.com/other' }, { ...hmacSign, label: 'sig2' })
    // Signature-Input of sig1 but the signature bytes of sig2 under the sig1 label.
    const forged = other.headers.signature!.replace('sig2=', 'sig1=')
    await expectDenied(withHeaders(event, { signature: forged }), 'bad-signature')
    await expectDenied(event, 'label-missing', { label: 'sig2' })
  })

  it('replayed nonce is rejected', async () => {
    const store = memoryNonceStore()
    const event = signedTestRequest({}, { ...hmacSign, nonce: true })
    expect((await invoke({ keys, now, nonce: { store } }, event)).statusCode).toBe(200)
    await expectDenied(event, 'nonce-replayed', { nonce: { store } })
  })

  it('missing nonce is rejected when nonces are required', async () => {
    await expectDenied(signedTestRequest({}, hmacSign), 'nonce-missing', {
      nonce: { store: memoryNonceStore(), required: true },
    })
  })

  it('a request with a bad signature does not burn its nonce', async () => {
    const store = memoryNonceStore()
    const event = signedTestRequest({}, { ...hmacSign, nonce: 'n-1' })
    await expectDenied({ ...event, rawPath: '/evil' }, 'bad-signature', { nonce: { store } })
    expect((await invoke({ keys, now, nonce: { store } }, event)).statusCode).toBe(200)
  })

  it('duplicate label in Signature-Input is rejected', async () => {
    const event = signedTestRequest({}, hmacSign)
    const input = event.headers['signature-input']!
    await expectDenied(
      withHeaders(event, { 'signature-input': `${input}, ${input}` }),
      'malformed-signature-header',
    )
  })

  it.each([
    ['signature-input', 'sig1=("@method"'],
    ['signature-input', 'sig1=:AAAA:'],
    ['signature-input', 'sig1=("@method" 1);created=1;keyid="k"'],
    ['signature-input', 'sig1=("@method");created="yesterday";keyid="svc-hmac"'],
    ['signature', 'sig1=("x")'],
    ['signature', 'sig1=not-bytes'],
  ])('malformed structured field %s: %s is rejected', async (name, value) => {
    await expectDenied(
      withHeaders(signedTestRequest({}, hmacSign), { [name]: value }),
      'malformed-signature-header',
    )
  })

  it('unsupported or ambiguous components are rejected', async () => {
    const event = signedTestRequest({}, hmacSign)
    const input = event.headers['signature-input']!.replace('"@target-uri"', '"@target-uri" "@status"')
    await expectDenied(withHeaders(event, { 'signature-input': input }), 'component-unavailable')
  })

  it('huge Signature headers are rejected before parsing', async () => {
    const event = signedTestRequest({}, hmacSign)
    await expectDenied(withHeaders(event, { signature: `sig1=:${'A'.repeat(9000)}:` }), 'header-too-large')
  })

  it('too many signatures on one request are rejected', async () => {
    const event = signedTestRequest({}, hmacSign)
    const input = event.headers['signature-input']!
    const many = Array.from({ length: 6 }, (_, i) => input.replace('sig1=', `s${i}=`)).join(', ')
    await expectDenied(withHeaders(event, { 'signature-input': many }), 'too-many-signatures')
  })

  it('a wrong HMAC of the right length is rejected (compared in constant time)', async () => {
    const event = signedTestRequest({}, hmacSign)
    const bytes = Buffer.from(/:(.*):/.exec(event.headers.signature!)![1]!, 'base64')
    bytes[0] = bytes[0]! ^ 1
    await expectDenied(
      withHeaders(event, { signature: `sig1=:${bytes.toString('base64')}:` }),
      'bad-signature',
    )
    // A truncated HMAC (a prefix of the right one) must not pass either.
    await expectDenied(
      withHeaders(event, { signature: `sig1=:${bytes.subarray(0, 8).toString('base64')}:` }),
      'bad-signature',
    )
  })

  it('HMAC comparison rejects a difference in the first byte, the last byte and the length alike', async () => {
    const { createVerifier } = await import('../src/algorithms')
    const verify = createVerifier(hmacSecret, 'hmac-sha256')
    const data = Buffer.from('base')
    const mac = createHmac('sha256', hmacSecret).update(data).digest()
    expect(verify(data, mac)).toBe(true)
    for (const index of [0, 31]) {
      const flipped = Buffer.from(mac)
      flipped[index] = flipped[index]! ^ 0x80
      expect(verify(data, flipped)).toBe(false)
    }
    expect(verify(data, Buffer.concat([mac, Buffer.from([0])]))).toBe(false)
    expect(verify(data, mac.subarray(0, 31))).toBe(false)
  })

  it('one valid signature among several satisfies the policy', async () => {
    const good = signedTestRequest({}, { ...hmacSign, label: 'good' })
    const bad = signRequest(
      { method: 'GET', url: 'https://api.example.com/orders' },
      { ...hmacSign, keyId: 'nobody', label: 'bad' },
    )
    const event = withHeaders(good, {
      'signature-input': `${bad['Signature-Input']}, ${good.headers['signature-input']}`,
      signature: `${bad.Signature}, ${good.headers.signature}`,
    })
    expect((await invoke({ keys, now }, event)).statusCode).toBe(200)
  })

  it('clock is read per request (no cached decision across time)', async () => {
    const event = signedTestRequest({}, hmacSign)
    await expectDenied(event, 'signature-too-old', { now: () => NOW_MS + 400_000 })
  })
})
