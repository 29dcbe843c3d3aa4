import { describe, expect, it } from '@jest/globals'
import { apiGatewayV2Event } from '@lift/testing'
import { memoryNonceStore, signWebhook, type VerifySignatureOptions } from '../src/index'
import { invoke } from './support/harness'
import { NOW_SEC, now } from './support/keys'

const secret = 'whsec_0123456789abcdefghijklmnopqrstuv'
const oldSecret = 'whsec_previous-secret-0123456789abcdef'
const body = '{"type":"invoice.paid","id":"evt_1"}'
const options: VerifySignatureOptions = {
  profile: 'webhook',
  keys: { webhook: { key: secret, alg: 'hmac-sha256', principalId: 'stripe' } },
  now,
}

function delivery(header: string, payload: string | Buffer = body) {
  return apiGatewayV2Event({
    method: 'POST',
    path: '/webhooks/stripe',
    headers: { 'stripe-signature': header },
    body: payload,
  })
}

describe("profile: 'webhook' (Stripe-style t=…,v1=…)", () => {
  it('accepts a delivery signed with the secret and sets the Principal', async () => {
    const outcome = await invoke(options, delivery(signWebhook(body, { secret, now })))
    expect(outcome.statusCode).toBe(200)
    expect(outcome.principal).toMatchObject({
      id: 'stripe',
      authMethod: 'signature',
      claims: { keyid: 'webhook', label: 'v1' },
    })
  })

  it('accepts any of several v1 values while the sender rotates its secret', async () => {
    const header = signWebhook(body, { secret: [oldSecret, secret], now })
    expect(header.match(/v1=/g)).toHaveLength(2)
    expect((await invoke(options, delivery(header))).statusCode).toBe(200)
  })

  it('accepts either of our secrets during our rotation', async () => {
    const rotating = {
      ...options,
      keys: { webhook: { key: [secret, oldSecret], alg: 'hmac-sha256' as const } },
    }
    expect((await invoke(rotating, delivery(signWebhook(body, { secret: oldSecret, now })))).statusCode).toBe(
      200,
    )
  })

  it('verifies the raw bytes of a base64-encoded body', async () => {
    const bytes = Buffer.from([0xde, 0xad, 0xbe, 0xef])
    expect((await invoke(options, delivery(signWebhook(bytes, { secret, now }), bytes))).statusCode).toBe(200)
  })

  it('uses a custom header name and key id', async () => {
    const custom = {
      ...options,
      keys: { gh: { key: secret, alg: 'hmac-sha256' as const } },
      webhook: { header: 'X-Hook-Signature', keyId: 'gh' },
    }
    const event = apiGatewayV2Event({
      method: 'POST',
      headers: { 'x-hook-signature': signWebhook(body, { secret, now }) },
      body,
    })
    expect((await invoke(custom, event)).statusCode).toBe(200)
  })

  it.each([
    [
      'tampered body',
      () => delivery(signWebhook(body, { secret, now }), body.replace('paid', 'void')),
      'bad-signature',
    ],
    ['wrong secret', () => delivery(signWebhook(body, { secret: oldSecret, now })), 'bad-signature'],
    [
      'timestamp outside the tolerance',
      () => delivery(signWebhook(body, { secret, timestamp: NOW_SEC - 400 })),
      'signature-too-old',
    ],
    [
      'timestamp in the future',
      () => delivery(signWebhook(body, { secret, timestamp: NOW_SEC + 400 })),
      'created-in-future',
    ],
    [
      're-dated timestamp with the old v1',
      () => delivery(signWebhook(body, { secret, now }).replace(/t=\d+/, `t=${NOW_SEC - 1}`)),
      'bad-signature',
    ],
    ['missing header', () => apiGatewayV2Event({ method: 'POST', body }), 'signature-missing'],
    ['no v1', () => delivery(`t=${NOW_SEC}`), 'malformed-signature-header'],
    ['no t', () => delivery(`v1=${'a'.repeat(64)}`), 'malformed-signature-header'],
    ['two t', () => delivery(`t=${NOW_SEC},t=${NOW_SEC},v1=${'a'.repeat(64)}`), 'malformed-signature-header'],
    ['non-hex v1', () => delivery(`t=${NOW_SEC},v1=xyz`), 'malformed-signature-header'],
    ['element without =', () => delivery(`t=${NOW_SEC},v1`), 'malformed-signature-header'],
    [
      'too many elements',
      () => delivery([`t=${NOW_SEC}`, ...Array(20).fill(`v1=${'a'.repeat(64)}`)].join(',')),
      'malformed-signature-header',
    ],
    ['huge header', () => delivery(`t=${NOW_SEC},v0=${'a'.repeat(9000)}`), 'header-too-large'],
  ])('rejects %s', async (_name, event, reason) => {
    const outcome = await invoke(options, event())
    expect(outcome.statusCode).toBe(401)
    expect(outcome.events[0]).toMatchObject({ outcome: 'deny', reason })
  })

  it('rejects an unknown key id and a non-HMAC key entry', async () => {
    const header = signWebhook(body, { secret, now })
    expect(
      (await invoke({ ...options, webhook: { keyId: 'nope' } }, delivery(header))).events[0],
    ).toMatchObject({ reason: 'unknown-keyid' })
    const { publicKey } = await import('./support/keys').then((m) => m.ed25519)
    const edKeys = { ...options, keys: { webhook: { key: publicKey, alg: 'ed25519' as const } } }
    expect((await invoke(edKeys, delivery(header))).events[0]).toMatchObject({ reason: 'alg-mismatch' })
  })

  it('rejects a replayed delivery when a nonce store is configured', async () => {
    const store = memoryNonceStore()
    const event = delivery(signWebhook(body, { secret, now }))
    expect((await invoke({ ...options, nonce: { store } }, event)).statusCode).toBe(200)
    expect((await invoke({ ...options, nonce: { store } }, event)).events[0]).toMatchObject({
      reason: 'nonce-replayed',
    })
  })

  it('replay protection: a replay that reorders or drops the v1 values of a rotation delivery is still a replay', async () => {
    // Both sides rotating: the header carries a v1 per sender secret and we accept both secrets, so either v1
    // verifies on its own. The delivery (t and body) is what was seen, whichever v1 is presented.
    const store = memoryNonceStore()
    const rotating = {
      ...options,
      keys: { webhook: { key: [secret, oldSecret], alg: 'hmac-sha256' as const } },
      nonce: { store },
    }
    const header = signWebhook(body, { secret: [secret, oldSecret], now })
    const [t, first, second] = header.split(',')
    expect((await invoke(rotating, delivery(header))).statusCode).toBe(200)
    for (const replayed of [`${t},${second},${first}`, `${t},${second}`]) {
      const outcome = await invoke(rotating, delivery(replayed))
      expect(outcome.statusCode).toBe(401)
      expect(outcome.events[0]).toMatchObject({ reason: 'nonce-replayed' })
    }
  })

  it('signWebhook needs a secret', () => {
    expect(() => signWebhook(body, { secret: [] })).toThrow('secret is required')
    expect(signWebhook(body, { secret, timestamp: 5 })).toMatch(/^t=5,v1=[0-9a-f]{64}$/)
  })
})
