// The issuer's audience rules (audience, clientId, tokenUse) and its `claims` rules, unit by unit and
// through jwtAuth (401 invalid_token, the precise reason only in the security event).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { SecurityEvent } from '@lift/security-core'
import { type ClaimRules, compileClaimRules, validateClaims } from '../src/claims'
import { jwtAuth } from '../src/index'
import type { IssuerOptions } from '../src/options'
import { TokenRejection } from '../src/rejection'
import { claims, NOW, NOW_MS, rsaIssuer, signJwt } from './support/fixtures'
import { app, bearer, call, captureEvents } from './support/run'

const base: ClaimRules = { requiredClaims: ['exp', 'sub'], clockToleranceSec: 5 }
const valid = { sub: 'u1', exp: NOW + 60, iat: NOW - 10 }

const reasonOf = (payload: object, rules: Partial<ClaimRules>): string | undefined => {
  try {
    validateClaims({}, payload as Record<string, unknown>, { ...base, ...rules }, NOW)
    return undefined
  } catch (error) {
    if (error instanceof TokenRejection) return error.reason
    throw error
  }
}

describe('clientId rule', () => {
  const clientId = ['app-1', 'app-2']

  it.each<[string, Record<string, unknown>]>([
    ['an access token by client_id', { client_id: 'app-1' }],
    ['a token by azp when it has no client_id', { azp: 'app-2' }],
    ['an Entra v1.0 access token by appid (no client_id, no azp)', { appid: 'app-1', ver: '1.0' }],
    ['an ID token (token_use id) by aud', { token_use: 'id', aud: 'app-1' }],
    ['an ID token with an aud array', { token_use: 'id', aud: ['other', 'app-2'] }],
  ])('accepts %s', (_name, extra) => {
    expect(reasonOf({ ...valid, ...extra }, { clientId })).toBeUndefined()
  })

  it.each<[string, Record<string, unknown>]>([
    ['no client at all', {}],
    ['another client_id', { client_id: 'app-3' }],
    ['client_id wins over azp', { client_id: 'app-3', azp: 'app-1' }],
    ['a null client_id (no fallback to azp)', { client_id: null, azp: 'app-1' }],
    ['an Entra v1.0 token of another application', { appid: 'app-3', ver: '1.0' }],
    ['azp wins over appid', { azp: 'app-3', appid: 'app-1' }],
    ['a client_id array', { client_id: ['app-1'] }],
    ['an access token with the client only in aud', { aud: 'app-1' }],
    ['an ID token whose aud is another client (azp ignored)', { token_use: 'id', aud: 'x', azp: 'app-1' }],
  ])('refuses %s', (_name, extra) => {
    expect(reasonOf({ ...valid, ...extra }, { clientId })).toBe('client-id-mismatch')
  })
})

describe('tokenUse rule', () => {
  it('requires token_use to equal the configured use', () => {
    expect(reasonOf({ ...valid, token_use: 'access' }, { tokenUse: 'access' })).toBeUndefined()
    expect(reasonOf({ ...valid, token_use: 'id' }, { tokenUse: 'access' })).toBe('token-use-mismatch')
    expect(reasonOf(valid, { tokenUse: 'access' })).toBe('token-use-mismatch')
  })

  it('checks aud only when the issuer has an audience rule', () => {
    expect(reasonOf({ ...valid, token_use: 'access' }, { tokenUse: 'access' })).toBeUndefined()
    expect(reasonOf({ ...valid, token_use: 'access' }, { tokenUse: 'access', audience: ['api'] })).toBe(
      'audience-mismatch',
    )
  })
})

describe('claims rules', () => {
  const rulesOf = (map: Record<string, unknown>) => ({ claims: compileClaimRules(map, 'test') })

  it('matches an exact value, one of a list, or a predicate', () => {
    const rules = rulesOf({
      ver: '2.0',
      tid: ['t1', 't2'],
      n: 1,
      flag: true,
      amr: (value: unknown) => Array.isArray(value) && value.includes('mfa'),
      both: (_value: unknown, all: Record<string, unknown>) => all.ver === '2.0',
    })
    const ok = { ...valid, ver: '2.0', tid: 't2', n: 1, flag: true, amr: ['pwd', 'mfa'] }
    expect(reasonOf(ok, rules)).toBeUndefined()
    expect(reasonOf({ ...ok, ver: '1.0' }, rules)).toBe('claim-mismatch:ver')
    expect(reasonOf({ ...ok, tid: 't3' }, rules)).toBe('claim-mismatch:tid')
    expect(reasonOf({ ...ok, n: '1' }, rules)).toBe('claim-mismatch:n')
    expect(reasonOf({ ...ok, flag: 'true' }, rules)).toBe('claim-mismatch:flag')
    expect(reasonOf({ ...ok, amr: ['pwd'] }, rules)).toBe('claim-mismatch:amr')
  })

  it('refuses a missing claim, an array where a value is expected, and a predicate that throws', () => {
    expect(reasonOf(valid, rulesOf({ tid: 't1' }))).toBe('claim-mismatch:tid')
    expect(reasonOf({ ...valid, tid: ['t1'] }, rulesOf({ tid: 't1' }))).toBe('claim-mismatch:tid')
    const throwing = rulesOf({
      tid: () => {
        throw new Error('bug')
      },
    })
    expect(reasonOf({ ...valid, tid: 't1' }, throwing)).toBe('claim-mismatch:tid')
  })

  it('takes only true from a predicate as a match', () => {
    expect(reasonOf({ ...valid, tid: 't' }, rulesOf({ tid: () => 1 as never }))).toBe('claim-mismatch:tid')
  })

  it.each<[string, unknown]>([
    ['not an object', 'tid'],
    ['a list', ['tid']],
    ['null', null],
  ])('refuses a claims map that is %s', (_name, map) => {
    expect(() => compileClaimRules(map, 'jwtAuth: issuers[0]')).toThrow(/issuers\[0\]\.claims must map/)
  })

  it.each<[string, unknown]>([
    ['an empty list', []],
    ['an object', { a: 1 }],
    ['a list with an object', ['a', {}]],
    ['null', null],
    ['undefined', undefined],
  ])('refuses a claim rule that is %s, naming the claim', (_name, rule) => {
    expect(() => compileClaimRules({ tid: rule }, 'jwtAuth: issuers[0]')).toThrow(
      /issuers\[0\]\.claims\.tid must be/,
    )
  })
})

describe('jwtAuth with audience and claims rules', () => {
  let capture: ReturnType<typeof captureEvents>
  let events: SecurityEvent[]
  beforeEach(() => {
    capture = captureEvents()
    events = capture.events
  })
  afterEach(() => capture.stop())

  const issuerWith = (extra: Partial<IssuerOptions>): IssuerOptions => {
    const { audience: _audience, ...withoutAudience } = rsaIssuer()
    return { ...withoutAudience, ...extra }
  }
  const attempt = async (issuer: IssuerOptions, payload: Record<string, unknown>) => {
    const response = await call(
      app(jwtAuth({ issuers: [issuer], now: () => NOW_MS })),
      bearer(await signJwt(payload)),
    )
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
      reason: events.at(-1)?.reason,
    }
  }

  it('a claims mismatch is a 401 invalid_token whose body does not name the claim', async () => {
    const result = await attempt(
      issuerWith({ audience: 'api', claims: { tid: 'tenant-a' } }),
      claims({ tid: 'tenant-b' }),
    )
    expect(result.status).toBe(401)
    expect(result.headers['WWW-Authenticate']).toContain('error="invalid_token"')
    expect(result.reason).toBe('claim-mismatch:tid')
    expect(result.body).not.toContain('tid')
    expect(result.body).not.toContain('tenant')
  })

  it('accepts a token without aud when the issuer checks clientId and tokenUse instead', async () => {
    const result = await attempt(
      issuerWith({ clientId: 'app-1', tokenUse: 'access' }),
      claims({ aud: undefined, client_id: 'app-1', token_use: 'access' }),
    )
    expect(result.status).toBe(200)
  })

  it('applies every rule given: audience and clientId together', async () => {
    const issuer = issuerWith({ audience: 'api', clientId: 'app-1' })
    expect((await attempt(issuer, claims({ azp: 'app-1' }))).status).toBe(200)
    expect(await attempt(issuer, claims({ azp: 'app-2' }))).toMatchObject({
      status: 401,
      reason: 'client-id-mismatch',
    })
    expect(await attempt(issuer, claims({ aud: 'x', azp: 'app-1' }))).toMatchObject({
      status: 401,
      reason: 'audience-mismatch',
    })
  })
})
