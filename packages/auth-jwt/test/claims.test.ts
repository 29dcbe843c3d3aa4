import { describe, expect, it } from '@jest/globals'
import { type ClaimRules, normalizeTyp, validateClaims } from '../src/claims'
import { TokenRejection } from '../src/rejection'

const NOW = 1_800_000_000
const rules: ClaimRules = {
  audience: ['api', 'other'],
  requiredClaims: ['exp', 'sub'],
  clockToleranceSec: 5,
}
const valid = { sub: 'u1', aud: 'api', exp: NOW + 60, iat: NOW - 10, nbf: NOW - 10 }

const reasonOf = (header: object, payload: object, with_: Partial<ClaimRules> = {}): string | undefined => {
  try {
    validateClaims(
      header as Record<string, unknown>,
      payload as Record<string, unknown>,
      { ...rules, ...with_ },
      NOW,
    )
    return undefined
  } catch (error) {
    if (error instanceof TokenRejection) return error.reason
    throw error
  }
}

describe('validateClaims', () => {
  it('accepts valid claims', () => {
    expect(reasonOf({}, valid)).toBeUndefined()
  })

  it.each([
    ['exp missing', { ...valid, exp: undefined }, 'claim-missing'],
    ['exp null', { ...valid, exp: null }, 'claim-invalid'],
    ['exp a string', { ...valid, exp: String(NOW + 60) }, 'claim-invalid'],
    ['nbf a string', { ...valid, nbf: 'soon' }, 'claim-invalid'],
    ['iat an object', { ...valid, iat: {} }, 'claim-invalid'],
    ['expired beyond the tolerance', { ...valid, exp: NOW - 5 }, 'token-expired'],
    ['nbf beyond the tolerance', { ...valid, nbf: NOW + 6 }, 'token-not-yet-valid'],
    ['iat in the future beyond the tolerance', { ...valid, iat: NOW + 6 }, 'iat-in-future'],
    ['aud missing', { ...valid, aud: undefined }, 'audience-mismatch'],
    ['aud another', { ...valid, aud: 'elsewhere' }, 'audience-mismatch'],
    ['aud array without ours', { ...valid, aud: ['x', 'y'] }, 'audience-mismatch'],
    ['aud a number', { ...valid, aud: 1 }, 'audience-mismatch'],
    ['sub missing', { ...valid, sub: undefined }, 'claim-missing'],
    ['sub a number', { ...valid, sub: 1 }, 'sub-missing'],
    ['sub empty', { ...valid, sub: '' }, 'sub-missing'],
  ])('refuses %s', (_name, payload, reason) => {
    const defined = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined))
    expect(reasonOf({}, defined)).toBe(reason)
  })

  it('treats exp exactly at now - tolerance as expired and one second later as valid (jose arithmetic)', () => {
    expect(reasonOf({}, { ...valid, exp: NOW - 5 })).toBe('token-expired')
    expect(reasonOf({}, { ...valid, exp: NOW - 4 })).toBeUndefined()
    expect(reasonOf({}, { ...valid, nbf: NOW + 5, iat: NOW + 5 })).toBeUndefined()
  })

  it('accepts an aud array with one accepted member', () => {
    expect(reasonOf({}, { ...valid, aud: ['x', 'other'] })).toBeUndefined()
  })

  it('reports a missing exp as exp-missing when exp is not in requiredClaims', () => {
    const { exp: _exp, ...withoutExp } = valid
    expect(reasonOf({}, withoutExp, { requiredClaims: [] })).toBe('exp-missing')
  })

  it('checks required claims', () => {
    expect(reasonOf({}, valid, { requiredClaims: ['exp', 'sub', 'jti'] })).toBe('claim-missing')
    expect(reasonOf({}, { ...valid, jti: 'j' }, { requiredClaims: ['exp', 'sub', 'jti'] })).toBeUndefined()
  })

  it('enforces maxTokenAgeSec with the tolerance and requires iat for it', () => {
    expect(reasonOf({}, { ...valid, iat: NOW - 65 }, { maxTokenAgeSec: 60 })).toBeUndefined()
    expect(reasonOf({}, { ...valid, iat: NOW - 66 }, { maxTokenAgeSec: 60 })).toBe('token-too-old')
    const { iat: _iat, ...withoutIat } = valid
    expect(reasonOf({}, withoutIat, { maxTokenAgeSec: 60 })).toBe('claim-missing')
  })

  it('checks typ like jose: case-insensitive, application/ prefix optional', () => {
    const typ = normalizeTyp('at+jwt')
    expect(reasonOf({ typ: 'AT+JWT' }, valid, { typ })).toBeUndefined()
    expect(reasonOf({ typ: 'application/at+jwt' }, valid, { typ })).toBeUndefined()
    expect(reasonOf({ typ: 'JWT' }, valid, { typ })).toBe('typ-mismatch')
    expect(reasonOf({}, valid, { typ })).toBe('typ-mismatch')
    expect(reasonOf({ typ: 1 }, valid, { typ })).toBe('typ-mismatch')
  })
})
