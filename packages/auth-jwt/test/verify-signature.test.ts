import { createPublicKey } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { JWT_ALGORITHMS, keyFitsAlgorithm } from '../src/algorithms'
import { verifySignature } from '../src/verify-signature'
import { keysFor, testKeys } from './support/keys'
import { signInput } from './support/tokens'

const data = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ1MSJ9'

describe('verifySignature', () => {
  it.each(JWT_ALGORITHMS)('%s: accepts its own signature, refuses a flipped bit and another key', (alg) => {
    const { sign, verify } = keysFor(alg)
    const signature = signInput(alg, sign, data)
    expect(verifySignature(alg, verify, data, signature)).toBe(true)
    const flipped = Buffer.from(signature)
    flipped[flipped.length - 1]! ^= 1
    expect(verifySignature(alg, verify, data, flipped)).toBe(false)
    expect(verifySignature(alg, verify, `${data}x`, signature)).toBe(false)
    if (!alg.startsWith('ES3') && !alg.startsWith('ES5')) {
      expect(verifySignature(alg, keysFor(alg, true).verify, data, signature)).toBe(false)
    }
  })

  it('refuses truncated, empty and oversized signatures without throwing', () => {
    for (const alg of JWT_ALGORITHMS) {
      const { sign, verify } = keysFor(alg)
      const signature = signInput(alg, sign, data)
      expect(verifySignature(alg, verify, data, signature.subarray(1))).toBe(false)
      expect(verifySignature(alg, verify, data, Buffer.alloc(0))).toBe(false)
      expect(verifySignature(alg, verify, data, Buffer.concat([signature, Buffer.from([0])]))).toBe(false)
    }
  })

  it.each(['RS256', 'PS256'] as const)(
    '%s: refuses a signature with its leading zero octet stripped (RFC 8017 length check)',
    (alg) => {
      const { sign, verify } = keysFor(alg)
      let input = data
      let signature = signInput(alg, sign, input)
      // 1 signature in 256 starts with a zero octet; vary the input (PSS also varies its salt).
      for (let i = 0; i < 4000 && signature[0] !== 0; i++) {
        input = `${data}.${i}`
        signature = signInput(alg, sign, input)
      }
      expect(signature[0]).toBe(0)
      expect(verifySignature(alg, verify, input, signature)).toBe(true)
      expect(verifySignature(alg, verify, input, signature.subarray(1))).toBe(false)
    },
  )

  it('refuses a DER-encoded ECDSA signature (JWS uses r || s)', () => {
    const { sign, verify } = keysFor('ES256')
    const der = signInput('RS256', sign, data)
    expect(verifySignature('ES256', verify, data, der)).toBe(false)
  })

  it('returns false when node:crypto throws (a key of the wrong type)', () => {
    expect(verifySignature('RS256', keysFor('EdDSA').verify, data, Buffer.alloc(256))).toBe(false)
    expect(verifySignature('HS256', keysFor('RS256').verify, data, Buffer.alloc(32))).toBe(false)
  })
})

describe('keyFitsAlgorithm', () => {
  const keys = testKeys()
  it('matches key types, curves and sizes to algorithms', () => {
    expect(keyFitsAlgorithm(keys.secret, 'HS256')).toBe(true)
    expect(keyFitsAlgorithm(keys.secret, 'RS256')).toBe(false)
    expect(keyFitsAlgorithm(keys.rsa.publicKey, 'HS256')).toBe(false)
    expect(keyFitsAlgorithm(keys.rsa.publicKey, 'PS512')).toBe(true)
    expect(keyFitsAlgorithm(keys.rsa.privateKey, 'RS256')).toBe(false)
    expect(keyFitsAlgorithm(keys.rsa1024.publicKey, 'RS256')).toBe(false)
    expect(keyFitsAlgorithm(keys.ec256.publicKey, 'ES256')).toBe(true)
    expect(keyFitsAlgorithm(keys.ec256.publicKey, 'ES384')).toBe(false)
    expect(keyFitsAlgorithm(keys.ec521.publicKey, 'ES512')).toBe(true)
    expect(keyFitsAlgorithm(keys.ed25519.publicKey, 'EdDSA')).toBe(true)
    expect(keyFitsAlgorithm(keys.ed25519.publicKey, 'ES256')).toBe(false)
    expect(keyFitsAlgorithm(createPublicKey(keys.ec256.privateKey), 'EdDSA')).toBe(false)
  })
})
