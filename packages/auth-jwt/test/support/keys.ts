// Key material for the tests, generated once per test file (RSA generation is the slow part).
import { createSecretKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import type { JwtAlgorithm } from '../../src/algorithms'

export interface KeyPair {
  readonly privateKey: KeyObject
  readonly publicKey: KeyObject
}

let cached: TestKeys | undefined

export interface TestKeys {
  readonly rsa: KeyPair
  readonly rsaOther: KeyPair
  readonly rsa1024: KeyPair
  readonly ec256: KeyPair
  readonly ec384: KeyPair
  readonly ec521: KeyPair
  readonly ec256Other: KeyPair
  readonly ed25519: KeyPair
  readonly ed25519Other: KeyPair
  readonly secret: KeyObject
  readonly secretOther: KeyObject
}

export function testKeys(): TestKeys {
  cached ??= {
    rsa: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    rsaOther: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    rsa1024: generateKeyPairSync('rsa', { modulusLength: 1024 }),
    ec256: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    ec384: generateKeyPairSync('ec', { namedCurve: 'secp384r1' }),
    ec521: generateKeyPairSync('ec', { namedCurve: 'secp521r1' }),
    ec256Other: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
    ed25519: generateKeyPairSync('ed25519'),
    ed25519Other: generateKeyPairSync('ed25519'),
    secret: createSecretKey(Buffer.from('s'.repeat(64))),
    secretOther: createSecretKey(Buffer.from('t'.repeat(64))),
  }
  return cached
}

/** The signing key (private key or secret) and the verification key for an algorithm. */
export function keysFor(alg: JwtAlgorithm, other = false): { sign: KeyObject; verify: KeyObject } {
  const keys = testKeys()
  const pair = (p: KeyPair) => ({ sign: p.privateKey, verify: p.publicKey })
  switch (alg.slice(0, 2)) {
    case 'HS':
      return other
        ? { sign: keys.secretOther, verify: keys.secretOther }
        : { sign: keys.secret, verify: keys.secret }
    case 'RS':
    case 'PS':
      return pair(other ? keys.rsaOther : keys.rsa)
    case 'ES':
      if (alg === 'ES384') return pair(keys.ec384)
      if (alg === 'ES512') return pair(keys.ec521)
      return pair(other ? keys.ec256Other : keys.ec256)
    default:
      return pair(other ? keys.ed25519Other : keys.ed25519)
  }
}
