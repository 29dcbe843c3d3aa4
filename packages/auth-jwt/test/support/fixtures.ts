import type { KeyObject } from 'node:crypto'
import { SignJWT } from 'jose'
import type { JwtAlgorithm } from '../../src/algorithms'
import type { IssuerOptions } from '../../src/options'
import { keysFor, testKeys } from './keys'

export const NOW_MS = 1_800_000_000_000
export const NOW = NOW_MS / 1000
export const ISS = 'https://auth.example.com/'

/** A mutable clock for `now` options. */
export function clock(start = NOW_MS) {
  const state = { ms: start }
  return {
    now: () => state.ms,
    advance: (ms: number) => (state.ms += ms),
    set: (ms: number) => (state.ms = ms),
  }
}

export const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  iss: ISS,
  aud: 'api',
  sub: 'user-1',
  iat: NOW - 10,
  exp: NOW + 300,
  ...extra,
})

/** Signs with jose (an implementation independent of Lift's verifier). */
export function signJwt(
  payload: Record<string, unknown> = claims(),
  alg: JwtAlgorithm = 'RS256',
  header: Record<string, unknown> = {},
  key: KeyObject | Uint8Array = keysFor(alg).sign,
): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg, ...header }).sign(key)
}

export const rsaIssuer = (extra: Partial<IssuerOptions> = {}): IssuerOptions => ({
  issuer: ISS,
  audience: 'api',
  algorithms: ['RS256'],
  publicKey: testKeys().rsa.publicKey,
  ...extra,
})
