import { describe, expect, it } from '@jest/globals'
import { apiGatewayV2Event } from '@lift/testing'
import { httpbis, createSigner as peerSigner, createVerifier as peerVerifier } from 'http-message-signatures'
import { signRequest } from '../src/index'
import { invoke } from './support/harness'
import { ed25519, hmacSecret, keys, NOW_MS, now, p256, rsa } from './support/keys'

const url = 'https://api.example.com/orders?id=7'
const body = '{"item":"book","qty":2}'

describe('interop with the http-message-signatures library', () => {
  it.each([
    ['hmac-sha256', 'svc-hmac', hmacSecret],
    ['ed25519', 'svc-ed', ed25519.privateKey],
    ['ecdsa-p256-sha256', 'svc-ec', p256.privateKey],
    ['rsa-pss-sha512', 'svc-rsa', rsa.privateKey],
  ] as const)('requests it signs with %s, Lift verifies', async (alg, keyId, key) => {
    const headers = {
      host: 'api.example.com',
      'content-type': 'application/json',
      'content-digest': signRequest({ method: 'POST', url, body }, { keyId, key, alg, now })[
        'Content-Digest'
      ]!,
    }
    const signed = await httpbis.signMessage(
      {
        key: peerSigner(key, alg, keyId),
        fields: ['@method', '@target-uri', '@authority', 'content-digest'],
        params: ['created', 'keyid'],
        paramValues: { created: new Date(NOW_MS) },
      },
      { method: 'POST', url, headers },
    )
    const event = apiGatewayV2Event({
      method: 'POST',
      path: '/orders',
      query: { id: '7' },
      headers: signed.headers as Record<string, string>,
      body,
    })
    const outcome = await invoke({ keys, now }, event)
    expect(outcome.statusCode).toBe(200)
    expect(outcome.principal).toMatchObject({ authMethod: 'signature' })
  })

  it.each([
    ['hmac-sha256', 'svc-hmac', hmacSecret, hmacSecret],
    ['ed25519', 'svc-ed', ed25519.privateKey, ed25519.publicKey],
    ['ecdsa-p256-sha256', 'svc-ec', p256.privateKey, p256.publicKey],
    ['rsa-pss-sha512', 'svc-rsa', rsa.privateKey, rsa.publicKey],
  ] as const)('requests Lift signs with %s, it verifies', async (alg, keyId, privateKey, publicKey) => {
    const headers: Record<string, string> = { host: 'api.example.com', 'content-type': 'application/json' }
    const signed = signRequest(
      { method: 'POST', url, headers, body },
      {
        keyId,
        key: privateKey,
        alg,
        now,
        components: [
          '@method',
          '@target-uri',
          '@authority',
          '@path',
          '@query',
          'content-type',
          'content-digest',
        ],
      },
    )
    const verified = await httpbis.verifyMessage(
      {
        keyLookup: async (params) =>
          params.keyid === keyId ? { id: keyId, algs: [alg], verify: peerVerifier(publicKey, alg) } : null,
        notAfter: NOW_MS + 1000,
      },
      { method: 'POST', url, headers: { ...headers, ...lowerCase(signed) } },
    )
    expect(verified).toBe(true)
    const tampered = await httpbis
      .verifyMessage(
        {
          keyLookup: async () => ({ id: keyId, algs: [alg], verify: peerVerifier(publicKey, alg) }),
          notAfter: NOW_MS + 1000,
        },
        { method: 'PUT', url, headers: { ...headers, ...lowerCase(signed) } },
      )
      .catch(() => false)
    expect(tampered).toBe(false)
  })
})

function lowerCase(headers: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
  )
}
