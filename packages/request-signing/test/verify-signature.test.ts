import { describe, expect, it } from '@jest/globals'
import { apiGatewayV1Event, apiGatewayV2Event } from '@lift/testing'
import { type KeyEntry, memoryNonceStore, verifySignature, verifySignatureDefaults } from '../src/index'
import { invoke } from './support/harness'
import { ed25519, hmacSecret, hmacSign, keys, NOW_SEC, now, p256, rsa } from './support/keys'
import { signedTestRequest } from './support/signed-test-request'

const body = JSON.stringify({ order: 42 })

describe('verifySignature', () => {
  it.each([
    ['hmac-sha256', { keyId: 'svc-hmac', key: hmacSecret }],
    ['ed25519', { keyId: 'svc-ed', key: ed25519.privateKey }],
    ['ecdsa-p256-sha256', { keyId: 'svc-ec', key: p256.privateKey }],
    [
      'rsa-pss-sha512',
      { keyId: 'svc-rsa', key: rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string },
    ],
  ] as const)('accepts a POST signed with %s and sets a signature Principal', async (alg, key) => {
    const event = signedTestRequest({ body }, { ...key, alg, now })
    const outcome = await invoke({ keys, now }, event)
    expect(outcome.statusCode).toBe(200)
    expect(outcome.principal).toMatchObject({
      id: key.keyId === 'svc-hmac' ? 'orders-service' : key.keyId,
      authMethod: 'signature',
      roles: [],
      scopes: [],
    })
    expect(outcome.events).toEqual([
      expect.objectContaining({
        type: 'signature',
        outcome: 'allow',
        reason: 'verified',
        at: NOW_SEC * 1000,
      }),
    ])
  })

  it('takes id and tenant from the key entry and claims from the signature', async () => {
    const event = signedTestRequest({}, { ...hmacSign, tag: 'orders', label: 'call' })
    const outcome = await invoke({ keys, now }, event)
    expect(outcome.principal).toMatchObject({
      id: 'orders-service',
      tenantId: 't-1',
      claims: { keyid: 'svc-hmac', alg: 'hmac-sha256', label: 'call', tag: 'orders' },
      expiresAt: NOW_SEC + 300,
    })
    expect(outcome.events[0]).toMatchObject({
      principalId: 'orders-service',
      tenantId: 't-1',
      requestId: expect.any(String),
    })
  })

  it('caps expiresAt at the expires parameter', async () => {
    const event = signedTestRequest({}, { ...hmacSign, expires: NOW_SEC + 10 })
    const outcome = await invoke({ keys, now }, event)
    expect(outcome.principal).toMatchObject({ expiresAt: NOW_SEC + 10 })
  })

  it('answers 401 problem+json with WWW-Authenticate: Signature and no reason', async () => {
    const outcome = await invoke({ keys, now }, apiGatewayV2Event({ path: '/orders' }))
    expect(outcome.statusCode).toBe(401)
    expect(outcome.headers).toMatchObject({
      'Content-Type': 'application/problem+json',
      'WWW-Authenticate': 'Signature',
    })
    expect(JSON.parse(outcome.body)).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      code: 'unauthenticated',
      detail: 'Authentication is required.',
    })
    expect(outcome.events).toEqual([
      expect.objectContaining({ outcome: 'deny', reason: 'signature-missing' }),
    ])
  })

  it('works on REST API (v1) events too', async () => {
    const signed = signedTestRequest(
      { url: 'https://api.example.com/orders?id=7' },
      { ...hmacSign, components: ['@method', '@target-uri', '"@query-param";name="id"'] },
    )
    const event = apiGatewayV1Event({
      path: '/orders',
      query: { id: '7' },
      headers: signed.headers as Record<string, string>,
    })
    const outcome = await invoke({ keys, now }, event)
    expect(outcome.statusCode).toBe(200)
  })

  it('verifies a REST API (v1) request sent to the execute-api invoke URL, whose /<stage> event.path drops', async () => {
    // The caller signs the URL it calls; API Gateway REST hands the function the path without the stage
    // (requestContext.path keeps it). The default components cover @target-uri.
    const host = 'a1b2c3d4e5.execute-api.us-east-1.amazonaws.com'
    const signed = signedTestRequest({ url: `https://${host}/prod/orders?id=7`, body }, hmacSign)
    const restEvent = (path: string) =>
      apiGatewayV1Event({
        method: 'POST',
        path,
        stage: 'prod',
        query: { id: '7' },
        headers: signed.headers as Record<string, string>,
        body,
      })
    expect((await invoke({ keys, now }, restEvent('/orders'))).statusCode).toBe(200)
    // The stage is not a wildcard: another path under the same stage still fails.
    expect((await invoke({ keys, now }, restEvent('/orders/other'))).statusCode).toBe(401)
  })

  it.each(['API.Example.COM', 'api.example.com:443'])(
    'verifies @target-uri signed over https://api.example.com/… when the Host is %s (RFC 9421 §1.3)',
    async (host) => {
      const event = signedTestRequest({ url: 'https://api.example.com/orders?id=7', body }, hmacSign)
      const outcome = await invoke({ keys, now }, { ...event, headers: { ...event.headers, host } })
      expect(outcome.statusCode).toBe(200)
    },
  )

  it('still refuses @target-uri under another host or a non-default port', async () => {
    const event = signedTestRequest({ url: 'https://api.example.com/orders' }, hmacSign)
    for (const host of ['api.example.org', 'api.example.com:8443']) {
      const outcome = await invoke({ keys, now }, { ...event, headers: { ...event.headers, host } })
      expect(outcome.events[0]).toMatchObject({ reason: 'bad-signature' })
    }
  })

  it('pins scheme and authority with the origin option', async () => {
    const event = signedTestRequest({ url: 'https://api.internal.example/orders' }, hmacSign)
    expect((await invoke({ keys, now, origin: 'https://api.internal.example' }, event)).statusCode).toBe(200)
    expect((await invoke({ keys, now, origin: 'https://other.example' }, event)).statusCode).toBe(401)
  })

  it('checks only the configured label when one is given', async () => {
    const event = signedTestRequest({}, { ...hmacSign, label: 'mine' })
    expect((await invoke({ keys, now, label: 'mine' }, event)).statusCode).toBe(200)
    const other = await invoke({ keys, now, label: 'theirs' }, event)
    expect(other.events[0]).toMatchObject({ reason: 'label-missing' })
  })

  it('resolves keys through an async resolver and imports each entry once', async () => {
    const entry: KeyEntry = { key: hmacSecret, alg: 'hmac-sha256' }
    const asked: string[] = []
    const options = {
      keys: async (keyId: string) => {
        asked.push(keyId)
        return keyId === 'svc-hmac' ? entry : undefined
      },
      now,
    }
    const middleware = verifySignature(options)
    expect(middleware.before).toBeInstanceOf(Function)
    expect((await invoke(options, signedTestRequest({}, hmacSign))).statusCode).toBe(200)
    expect(
      (await invoke(options, signedTestRequest({}, { ...hmacSign, keyId: 'nobody' }))).events[0],
    ).toMatchObject({ reason: 'unknown-keyid' })
    expect(asked).toEqual(['svc-hmac', 'nobody'])
  })

  it('answers 503 when the key resolver fails (a dependency error, not the caller)', async () => {
    const outcome = await invoke(
      {
        keys: async () => {
          throw new Error('boom: secret backend down')
        },
        now,
      },
      signedTestRequest({}, hmacSign),
    )
    expect(outcome.statusCode).toBe(503)
    expect(outcome.body).not.toContain('boom')
    expect(outcome.events[0]).toMatchObject({ outcome: 'deny', reason: 'key-unavailable' })
  })

  it('accepts any key of an entry (current and previous secret during a rotation)', async () => {
    const previous = Buffer.alloc(32, 7)
    const rotating = { 'svc-hmac': { key: [Buffer.alloc(32, 9), previous], alg: 'hmac-sha256' as const } }
    const event = signedTestRequest({}, { ...hmacSign, key: previous })
    expect((await invoke({ keys: rotating, now }, event)).statusCode).toBe(200)
  })

  it('validates options once, at construction, with clear messages', () => {
    expect(() => verifySignature(undefined as never)).toThrow('verifySignature: options must be an object')
    expect(() => verifySignature({ keys, colour: 1 } as never)).toThrow('unknown option "colour"')
    expect(() => verifySignature({ keys, profile: 'x' as never })).toThrow('profile')
    expect(() => verifySignature({ keys, requiredComponents: [''] })).toThrow('requiredComponents')
    expect(() => verifySignature({ keys, label: 'Bad' })).toThrow('label')
    expect(() => verifySignature({ keys, maxAgeSec: -1 })).toThrow('maxAgeSec')
    expect(() => verifySignature({ keys, clockSkewSec: Number.NaN })).toThrow('clockSkewSec')
    expect(() => verifySignature({ keys, nonce: { store: {} as never } })).toThrow('nonce.store')
    expect(() => verifySignature({ keys, digestAlgorithms: ['md5' as never] })).toThrow('digestAlgorithms')
    expect(() => verifySignature({ keys, maxHeaderBytes: 0 })).toThrow('maxHeaderBytes')
    expect(() => verifySignature({ keys, maxSignatures: 1.5 })).toThrow('maxSignatures')
    expect(() => verifySignature({ keys, now: 5 as never })).toThrow('now must be a function')
    expect(() => verifySignature({ keys, origin: 'not a url' })).toThrow('origin')
    expect(() => verifySignature({ keys, origin: 'https://a.example/path' })).toThrow('origin')
    expect(() => verifySignature({ keys: {} })).toThrow('at least one key')
    expect(() => verifySignature({ keys: 5 as never })).toThrow('keys must be a map or a function')
    expect(() => verifySignature({ keys: { a: null as never } })).toThrow('keys["a"] is null')
    expect(() =>
      verifySignature({ keys: { a: { key: hmacSecret, alg: 'rsa-v1_5-sha256' as never } } }),
    ).toThrow('unsupported alg')
    expect(() => verifySignature({ keys: { a: { key: [], alg: 'hmac-sha256' } } })).toThrow(
      'must not be empty',
    )
    expect(() => verifySignature({ keys: { a: { key: 'short', alg: 'hmac-sha256' } } })).toThrow(
      'at least 32 bytes',
    )
    expect(Object.isFrozen(verifySignatureDefaults)).toBe(true)
  })

  it('a misspelt or mistyped nested option is a construction error, not replay protection silently off', () => {
    const store = memoryNonceStore()
    expect(() => verifySignature({ keys, nonce: { store, requried: true } as never })).toThrow(
      'verifySignature: unknown option "nonce.requried"',
    )
    expect(() => verifySignature({ keys, nonce: { store, required: 'true' as never } })).toThrow(
      'nonce.required must be a boolean',
    )
    expect(() =>
      verifySignature({ keys, profile: 'webhook', webhook: { headerName: 'x-hook' } as never }),
    ).toThrow('verifySignature: unknown option "webhook.headerName"')
    expect(() => verifySignature({ keys, webhook: { header: 5 as never } })).toThrow('webhook.header')
    expect(() => verifySignature({ keys, webhook: { keyId: '' } })).toThrow('webhook.keyId')
    expect(() => verifySignature({ keys, digestAlgorithms: 'sha-256' as never })).toThrow(
      "digestAlgorithms must list 'sha-256' and/or 'sha-512'",
    )
    expect(() => verifySignature({ keys, structuredFields: { 'x-list': 'array' as never } })).toThrow(
      'structuredFields',
    )
    expect(() => verifySignature({ keys, structuredFields: { 'X-List': 'list' } })).toThrow(
      'structuredFields',
    )
  })
})
