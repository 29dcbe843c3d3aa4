// A key source that is given but not set (most often an unset environment variable) is a construction error
// naming the issuer and the option, not "needs exactly one of …; got none" or a key-import failure.
import { describe, expect, it } from '@jest/globals'
import { type IssuerOptions, jwtAuth, jwtAuthorizer } from '../src/index'
import { ISS } from './support/fixtures'

const UNSET = 'LIFT_TEST_UNSET_JWT_KEY'
delete process.env[UNSET]
const secret = 'a-real-hs256-secret-of-at-least-32-bytes'
const hmac = (extra: Partial<IssuerOptions>): IssuerOptions =>
  ({ issuer: ISS, audience: 'api', algorithms: ['HS256'], ...extra }) as IssuerOptions
const rsa = (extra: Partial<IssuerOptions>): IssuerOptions =>
  ({ issuer: ISS, audience: 'api', algorithms: ['RS256'], ...extra }) as IssuerOptions
const label = `jwtAuth: issuers[0] (${ISS})`

/** The TypeError `run` throws (fails the test when it does not throw one). */
function typeErrorOf(run: () => unknown): TypeError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError)
    return error as TypeError
  }
  throw new Error('expected a TypeError')
}

describe('jwtAuth: a missing key or secret is a construction error naming the option', () => {
  it('jwtAuth with an unset env var for secret is a construction error naming issuers[0].secret', () => {
    const error = typeErrorOf(() => jwtAuth({ issuers: [hmac({ secret: process.env[UNSET]! })] }))
    expect(error.message).toBe(
      `${label}.secret is undefined — set it to the HMAC secret (a string or bytes, at least 32 bytes for HS256); an unset environment variable reads as undefined`,
    )
  })

  it.each([
    ['null', null, 'is null'],
    ['an empty string', '', 'is an empty string'],
    ['empty bytes', new Uint8Array(0), 'is empty (0 bytes)'],
  ])('jwtAuth with %s as secret names issuers[0].secret', (_name, value, problem) => {
    const error = typeErrorOf(() => jwtAuth({ issuers: [hmac({ secret: value as never })] }))
    expect(error.message).toContain(`${label}.secret ${problem} — set it to the HMAC secret`)
  })

  it('jwtAuth with an unset env var for publicKey names issuers[0].publicKey (and publicKey[1] in a list)', () => {
    expect(
      typeErrorOf(() => jwtAuth({ issuers: [rsa({ publicKey: process.env[UNSET]! })] })).message,
    ).toMatch(/\.publicKey is undefined — set it to the issuer's public key/)
    const pem = '-----BEGIN PUBLIC KEY-----\nnot-even-read\n-----END PUBLIC KEY-----'
    const error = typeErrorOf(() => jwtAuth({ issuers: [rsa({ publicKey: [pem, process.env[UNSET]!] })] }))
    expect(error.message).toContain(`${label}.publicKey[1] is undefined`)
    expect(error.message).not.toContain('not-even-read')
    expect(typeErrorOf(() => jwtAuth({ issuers: [rsa({ publicKey: '' })] })).message).toContain(
      `${label}.publicKey is an empty string`,
    )
  })

  it('jwtAuth with an unset env var for jwksUri names issuers[0].jwksUri', () => {
    expect(
      typeErrorOf(() => jwtAuth({ issuers: [rsa({ jwksUri: process.env[UNSET]! })] })).message,
    ).toContain(`${label}.jwksUri is undefined — set it to the issuer's JWKS URL`)
  })

  it('jwtAuth with an unset env var for secretRef or secretRef.secretId names it', () => {
    expect(
      typeErrorOf(() => jwtAuth({ issuers: [hmac({ secretRef: process.env[UNSET]! })] })).message,
    ).toContain(`${label}.secretRef is undefined — set it to the Secrets Manager secret's name or ARN`)
    expect(
      typeErrorOf(() => jwtAuth({ issuers: [hmac({ secretRef: { secretId: process.env[UNSET]! } })] }))
        .message,
    ).toContain(`${label}.secretRef.secretId is undefined`)
    expect(typeErrorOf(() => jwtAuth({ issuers: [hmac({ secretRef: '' })] })).message).toContain(
      `${label}.secretRef is an empty string`,
    )
    expect(
      typeErrorOf(() => jwtAuth({ issuers: [hmac({ secretRef: { secretId: 7 as never } })] })).message,
    ).toContain(`${label}.secretRef.secretId is a number`)
  })

  it('never echoes the secret that is set next to the one that is missing', () => {
    const error = typeErrorOf(() =>
      jwtAuth({ issuers: [hmac({ secret }), hmac({ issuer: 'https://b.example', secret: '' })] }),
    )
    expect(error.message).toContain('jwtAuth: issuers[1] (https://b.example).secret is an empty string')
    expect(error.message).not.toContain(secret)
  })

  it('an issuer with no key source at all still says which ones it accepts', () => {
    expect(() => jwtAuth({ issuers: [rsa({})] })).toThrow(
      /needs exactly one of jwksUri, discovery, publicKey, secret, secretRef; got none/,
    )
  })

  it('jwtAuthorizer reports an unset key the same way', () => {
    expect(
      typeErrorOf(() => jwtAuthorizer({ issuers: [hmac({ secret: process.env[UNSET]! })] })).message,
    ).toContain(`${label}.secret is undefined`)
  })
})
