import type { JsonObject } from './decode-token'
import { reject } from './rejection'

export interface ClaimRules {
  readonly audience: readonly string[]
  /** Normalized (lower case, `application/` prefix) expected `typ` header, when the issuer sets one. */
  readonly typ?: string
  readonly requiredClaims: readonly string[]
  readonly maxTokenAgeSec?: number
  readonly clockToleranceSec: number
}

/**
 * RFC 7519 claim checks, with the same arithmetic as jose's jwtVerify (which the differential test holds
 * it to): `exp` required, `nbf`/`iat`/`exp` numbers, `iat` not in the future, `aud` a string or array
 * sharing a member with the accepted audiences, the issuer's `typ`, required claims present and a string
 * `sub`. `iss` was checked against the allow-list before this runs. Throws TokenRejection.
 */
export function validateClaims(
  header: JsonObject,
  payload: JsonObject,
  rules: ClaimRules,
  nowSec: number,
): void {
  if (rules.typ !== undefined && (typeof header.typ !== 'string' || normalizeTyp(header.typ) !== rules.typ)) {
    reject('typ-mismatch')
  }
  for (const claim of rules.requiredClaims) {
    if (!Object.hasOwn(payload, claim)) reject('claim-missing')
  }
  if (!audienceMatches(payload.aud, rules.audience)) reject('audience-mismatch')
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) reject('sub-missing')

  const tolerance = rules.clockToleranceSec
  const { exp, nbf, iat } = payload
  if (exp === undefined) reject('exp-missing')
  if (typeof exp !== 'number' || !isOptionalNumber(nbf) || !isOptionalNumber(iat)) reject('claim-invalid')
  if (nbf !== undefined && nbf > nowSec + tolerance) reject('token-not-yet-valid')
  if (exp <= nowSec - tolerance) reject('token-expired')
  if (iat !== undefined && iat > nowSec + tolerance) reject('iat-in-future')
  if (rules.maxTokenAgeSec !== undefined) {
    if (iat === undefined) reject('claim-missing')
    if (nowSec - iat - tolerance > rules.maxTokenAgeSec) reject('token-too-old')
  }
}

/** jose's typ normalization: case-insensitive, `at+jwt` equals `application/at+jwt`. */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase()
  return typ.includes('/') ? lower : `application/${lower}`
}

function audienceMatches(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud)
  return Array.isArray(aud) && accepted.some((audience) => aud.includes(audience))
}

function isOptionalNumber(value: unknown): value is number | undefined {
  return value === undefined || typeof value === 'number'
}
