import { describe, expect, it } from '@jest/globals'
import { apiGatewayV2Event } from '@lift/testing'
import { createSigner, createVerifier } from '../src/algorithms'
import { signRequest } from '../src/index'
import { signableFromUrl } from '../src/message'
import { createSignatureBase } from '../src/signature-base'
import type { InnerList } from '../src/structured-fields'
import { parseDictionary } from '../src/structured-fields'
import { invoke } from './support/harness'
import {
  ed25519PrivateKeyPem,
  RFC_CREATED,
  rfcKeys,
  rfcRequest,
  sharedSecret,
  vectors,
} from './support/rfc9421-vectors'

const request = signableFromUrl(rfcRequest.method, rfcRequest.url, rfcRequest.headers)

function coveredList(signatureInput: string): InnerList {
  const [member] = parseDictionary(signatureInput).values()
  return member as InnerList
}

function signatureBytes(signature: string): Uint8Array {
  const [member] = parseDictionary(signature).values()
  return (member as { value: { value: Uint8Array } }).value.value
}

describe('RFC 9421 Appendix B.2 test vectors', () => {
  for (const vector of vectors) {
    it(`${vector.name}: builds the published signature base`, () => {
      expect(createSignatureBase(request, coveredList(vector.signatureInput))).toBe(vector.base)
    })

    it(`${vector.name}: the published signature verifies`, () => {
      const key = rfcKeys[vector.keyId as keyof typeof rfcKeys]
      const verify = createVerifier(key.key, key.alg)
      expect(verify(Buffer.from(vector.base), signatureBytes(vector.signature))).toBe(true)
      expect(verify(Buffer.from(`${vector.base} `), signatureBytes(vector.signature))).toBe(false)
    })
  }

  it('B.2.5 hmac-sha256: signing the same base reproduces the published signature', () => {
    const vector = vectors.find((v) => v.alg === 'hmac-sha256')!
    const signature = createSigner(sharedSecret, 'hmac-sha256')(Buffer.from(vector.base))
    expect(Buffer.from(signature).equals(Buffer.from(signatureBytes(vector.signature)))).toBe(true)
  })

  it('B.2.6 ed25519: signing the same base reproduces the published signature', () => {
    const vector = vectors.find((v) => v.alg === 'ed25519')!
    const signature = createSigner(ed25519PrivateKeyPem, 'ed25519')(Buffer.from(vector.base))
    expect(Buffer.from(signature).equals(Buffer.from(signatureBytes(vector.signature)))).toBe(true)
  })

  it.each(['B.2.5', 'B.2.6'])(
    '%s: signRequest reproduces the published Signature-Input and Signature',
    (name) => {
      const vector = vectors.find((v) => v.name.startsWith(name))!
      const headers = signRequest(
        {
          method: rfcRequest.method,
          url: rfcRequest.url,
          headers: { ...rfcRequest.headers, 'content-digest': undefined },
        },
        {
          keyId: vector.keyId,
          key: vector.alg === 'ed25519' ? ed25519PrivateKeyPem : sharedSecret,
          alg: vector.alg,
          created: RFC_CREATED,
          label: vector.signatureInput.slice(0, vector.signatureInput.indexOf('=')),
          components: coveredList(vector.signatureInput).items.map((item) => item.value.value as string),
        },
      )
      expect(headers).toEqual({ 'Signature-Input': vector.signatureInput, Signature: vector.signature })
    },
  )

  it('B.2.3 verifies end to end through the middleware (digest checked against the body)', async () => {
    const vector = vectors.find((v) => v.name.startsWith('B.2.3'))!
    const event = apiGatewayV2Event({
      method: 'POST',
      path: '/foo',
      query: { param: 'Value', Pet: 'dog' },
      headers: {
        ...rfcRequest.headers,
        'signature-input': vector.signatureInput,
        signature: vector.signature,
      },
      body: rfcRequest.body,
    })
    const outcome = await invoke(
      {
        keys: rfcKeys,
        requiredComponents: ['@method', '@path', '@authority', 'content-digest'],
        now: () => RFC_CREATED * 1000 + 5000,
      },
      event,
    )
    expect(outcome.statusCode).toBe(200)
    expect(outcome.principal).toMatchObject({ id: 'test-key-rsa-pss', authMethod: 'signature' })
  })
})
