import { describe, expect, it } from '@jest/globals'
import { assertKnownOptions } from '../src/index'

describe('assertKnownOptions', () => {
  it('accepts options whose every key is known, from a Set or a record of names', () => {
    expect(() => assertKnownOptions('owner', { a: 1, b: undefined }, new Set(['a', 'b', 'c']))).not.toThrow()
    expect(() => assertKnownOptions('owner', { a: 1 }, { a: true, b: true })).not.toThrow()
    expect(() => assertKnownOptions('owner', {}, new Set())).not.toThrow()
  })

  it('throws a TypeError naming the unknown key, with the nesting path', () => {
    expect(() => assertKnownOptions('authorize', { role: {} }, new Set(['roles']))).toThrow(
      new TypeError('authorize: unknown option "role"'),
    )
    expect(() => assertKnownOptions('jwtAuth', { timeout: 1 }, { timeoutMs: true }, 'jwks.')).toThrow(
      'jwtAuth: unknown option "jwks.timeout"',
    )
  })

  it('does not take inherited names of a record for known options', () => {
    expect(() => assertKnownOptions('owner', { toString: 1 }, { a: true })).toThrow(
      'owner: unknown option "toString"',
    )
  })
})
