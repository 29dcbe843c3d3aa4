import { createHash } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { keyDigest, storeKey } from '../src/keys'

const PLAIN = /^[A-Za-z0-9_.:@/+=-]{1,128}$/
// An independent well-formedness test: encodeURIComponent throws on a lone surrogate.
const wellFormed = (raw: string) => {
  try {
    encodeURIComponent(raw)
    return true
  } catch {
    return false
  }
}
const hashed = (raw: string) =>
  wellFormed(raw)
    ? `h:${createHash('sha256').update(raw, 'utf8').digest('base64url')}`
    : `u:${createHash('sha256').update(Buffer.from(raw, 'utf16le')).digest('base64url')}`

describe('storeKey', () => {
  it('keeps short keys of safe characters, hashes everything else', () => {
    expect(storeKey('ip:198.51.100.7')).toBe('k:ip:198.51.100.7')
    expect(storeKey('ip:2001:db8::1')).toBe('k:ip:2001:db8::1')
    expect(storeKey('ip:fe80::1%eth0')).toBe(hashed('ip:fe80::1%eth0'))
    expect(storeKey('a'.repeat(128))).toBe(`k:${'a'.repeat(128)}`)
    expect(storeKey('a'.repeat(129))).toBe(hashed('a'.repeat(129)))
    expect(storeKey('principal:ünïcode')).toBe(hashed('principal:ünïcode'))
    expect(storeKey('tenant:a#b')).toBe(hashed('tenant:a#b'))
  })

  it('decides plain or hashed exactly as the documented character class, for any string', () => {
    const safe = fc.constantFrom(...'Az09_.:@/+=-'.split(''))
    const anyChar = fc.oneof(safe, fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }))
    fc.assert(
      fc.property(fc.array(anyChar, { minLength: 1, maxLength: 140 }), (chars) => {
        const raw = chars.join('')
        expect(storeKey(raw)).toBe(PLAIN.test(raw) ? `k:${raw}` : hashed(raw))
      }),
      { numRuns: 2000 },
    )
  })

  it('attack: keys that differ only in lone surrogates do not share a counter (UTF-8 would map both to U+FFFD)', () => {
    const a = 'apikey:\uD800'
    const b = 'apikey:\uDBFF'
    expect(Buffer.from(a, 'utf8').equals(Buffer.from(b, 'utf8'))).toBe(true)
    expect(storeKey(a)).not.toBe(storeKey(b))
    expect(storeKey(a)).not.toBe(storeKey('apikey:\uFFFD'))
    expect(storeKey(a)).toMatch(/^u:/)
    expect(keyDigest(a)).not.toBe(keyDigest(b))
  })
})
