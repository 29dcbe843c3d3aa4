import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { decodeToken, MAX_JSON_DEPTH } from '../src/decode-token'
import { TokenRejection } from '../src/rejection'
import { b64url } from './support/tokens'

const reasonOf = (run: () => unknown): string | undefined => {
  try {
    run()
    return undefined
  } catch (error) {
    if (error instanceof TokenRejection) return error.reason
    throw error
  }
}

const header = b64url({ alg: 'HS256' })
const payload = b64url({ sub: 'u1' })

describe('decodeToken', () => {
  it('decodes header, payload, signing input and signature', () => {
    const signature = Buffer.from([1, 2, 3]).toString('base64url')
    const decoded = decodeToken(`${header}.${payload}.${signature}`, 8192)
    expect(decoded.header).toEqual({ alg: 'HS256' })
    expect(decoded.payload).toEqual({ sub: 'u1' })
    expect(decoded.signingInput.toString()).toBe(`${header}.${payload}`)
    expect([...decoded.signature]).toEqual([1, 2, 3])
  })

  it('drops a leading byte-order mark like jose (a BOM elsewhere stays and fails JSON)', () => {
    expect(decodeToken(`${b64url('\uFEFF{"alg":"HS256"}')}.${payload}.`, 8192).header).toEqual({
      alg: 'HS256',
    })
    expect(
      reasonOf(() =>
        decodeToken(`${b64url('{"alg":"HS256"}\uFEFF\uFEFF')}.${b64url('\uFEFF\uFEFF{}')}.`, 8192),
      ),
    ).toBe('token-malformed')
  })

  it('refuses a token longer than maxTokenBytes before parsing it', () => {
    const token = `${header}.${payload}.`
    expect(reasonOf(() => decodeToken(token, token.length - 1))).toBe('token-too-large')
    expect(reasonOf(() => decodeToken(token, token.length))).toBeUndefined()
  })

  it.each([
    ['no dots', 'abc'],
    ['one dot', `${header}.${payload}`],
    ['four parts', `${header}.${payload}.a.b`],
    ['empty string', ''],
  ])('refuses %s', (_name, token) => {
    expect(reasonOf(() => decodeToken(token, 8192))).toBe('token-malformed')
  })

  it('names JWE (five parts) separately', () => {
    expect(reasonOf(() => decodeToken('a.b.c.d.e', 8192))).toBe('jwe-not-supported')
  })

  it.each([
    ['padding', `${header}=.${payload}.`],
    ['standard base64 characters', `${header}.${payload}+/.`],
    ['whitespace', `${header}.${payload} .`],
    ['a length that cannot encode bytes', `${header}.${payload}.A`],
    ['invalid UTF-8', `${b64url(Buffer.from([0xff, 0xfe]))}.${payload}.`],
    ['JSON that is not an object', `${b64url('[1]')}.${payload}.`],
    ['null', `${header}.${b64url('null')}.`],
    ['a string', `${header}.${b64url('"x"')}.`],
    ['non-JSON', `${header}.${b64url('{sub:1}')}.`],
    ['an empty payload', `${header}..`],
  ])('refuses %s', (_name, token) => {
    expect(reasonOf(() => decodeToken(token, 8192))).toBe('token-malformed')
  })

  it(`refuses claims nested deeper than ${MAX_JSON_DEPTH}, brackets inside strings not counted`, () => {
    const nested = (depth: number) => `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`
    expect(reasonOf(() => decodeToken(`${header}.${b64url(nested(MAX_JSON_DEPTH))}.`, 8192))).toBeUndefined()
    expect(reasonOf(() => decodeToken(`${header}.${b64url(nested(MAX_JSON_DEPTH + 1))}.`, 8192))).toBe(
      'token-malformed',
    )
    const inString = JSON.stringify({ a: `${'['.repeat(200)}\\"` })
    expect(reasonOf(() => decodeToken(`${header}.${b64url(inString)}.`, 8192))).toBeUndefined()
    // Many brackets, shallow nesting: counted brackets alone do not refuse a token.
    const wide = JSON.stringify({ a: Array.from({ length: 200 }, () => [{}]) })
    expect(reasonOf(() => decodeToken(`${header}.${b64url(wide)}.`, 8192))).toBeUndefined()
    const deepInWide = `{"a":[${'[],'.repeat(100)}${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}]}`
    expect(reasonOf(() => decodeToken(`${header}.${b64url(deepInWide)}.`, 8192))).toBe('token-malformed')
  })

  it('decodes one header segment once: later tokens share the same frozen header', () => {
    const shared = b64url({ alg: 'RS256', typ: 'JWT', kid: 'k1', crit: ['b64'], b64: true })
    const first = decodeToken(`${shared}.${payload}.`, 8192).header
    const second = decodeToken(`${shared}.${b64url({ sub: 'u2' })}.`, 8192).header
    expect(second).toBe(first)
    expect(Object.isFrozen(first) && Object.isFrozen(first.crit)).toBe(true)
    expect(decodeToken(`${b64url({ alg: 'RS256', kid: 'k2' })}.${payload}.`, 8192).header).toEqual({
      alg: 'RS256',
      kid: 'k2',
    })
  })

  it('decodes a long header every time without keeping it', () => {
    const long = b64url({ alg: 'RS256', kid: 'k'.repeat(600) })
    const first = decodeToken(`${long}.${payload}.`, 8192).header
    expect(first).toEqual({ alg: 'RS256', kid: 'k'.repeat(600) })
    expect(decodeToken(`${long}.${payload}.`, 8192).header).not.toBe(first)
  })

  it('never throws anything but a TokenRejection, whatever the input', () => {
    const segment = fc.oneof(
      fc.string({ unit: fc.constantFrom(...'AZaz09-_=+/. '.split('')) }),
      fc.jsonValue().map((value) => b64url(JSON.stringify(value) ?? 'null')),
    )
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 6 }), (segments) => {
        const token = segments.join('.')
        try {
          const decoded = decodeToken(token, 8192)
          expect(typeof decoded.header).toBe('object')
        } catch (error) {
          expect(error).toBeInstanceOf(TokenRejection)
        }
      }),
      { numRuns: 2000 },
    )
  })
})
