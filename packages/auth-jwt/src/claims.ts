import type { JsonObject } from './decode-token'
import type { ClaimRule } from './options'
import { reject } from './rejection'

/** One compiled `claims` rule: the claim's name and the test its value must pass. */
export interface ClaimCheck {
  readonly name: string
  readonly test: (value: unknown, claims: JsonObject) => boolean
}

export interface ClaimRules {
  /** Accepted `aud` values (the `audience` rule), when the issuer sets one. */
  readonly audience?: readonly string[]
  /** Accepted client ids (the `clientId` rule), when the issuer sets one. */
  readonly clientId?: readonly string[]
  /** Required `token_use`, when the issuer sets one. */
  readonly tokenUse?: string
  /** The issuer's `claims` rules, in the order given. */
  readonly claims?: readonly ClaimCheck[]
  /** Normalized (lower case, `application/` prefix) expected `typ` header, when the issuer sets one. */
  readonly typ?: string
  readonly requiredClaims: readonly string[]
  readonly maxTokenAgeSec?: number
  readonly clockToleranceSec: number
}

/**
 * RFC 7519 claim checks, with the same arithmetic as jose's jwtVerify (which the differential test holds
 * it to): `exp` required, `nbf`/`iat`/`exp` numbers, `iat` not in the future, the issuer's audience rules
 * (`aud`, client, `token_use`), the issuer's `typ`, required claims present, a string `sub` and the
 * issuer's `claims` rules. `iss` was checked against the allow-list before this runs. Throws TokenRejection.
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
  if (rules.audience !== undefined && !audienceMatches(payload.aud, rules.audience)) {
    reject('audience-mismatch')
  }
  if (rules.tokenUse !== undefined && payload.token_use !== rules.tokenUse) reject('token-use-mismatch')
  if (rules.clientId !== undefined && !clientMatches(payload, rules.clientId)) reject('client-id-mismatch')
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) reject('sub-missing')

  const tolerance = rules.clockToleranceSec
  const { exp, nbf, iat } = payload
  if (exp === undefined) reject('exp-missing')
  // JSON.parse reads 1e400 as Infinity, which is no NumericDate (and no principal's expiresAt).
  if (typeof exp !== 'number' || !Number.isFinite(exp) || !isOptionalNumber(nbf) || !isOptionalNumber(iat))
    reject('claim-invalid')
  if (nbf !== undefined && nbf > nowSec + tolerance) reject('token-not-yet-valid')
  if (exp <= nowSec - tolerance) reject('token-expired')
  if (iat !== undefined && iat > nowSec + tolerance) reject('iat-in-future')
  if (rules.maxTokenAgeSec !== undefined) {
    if (iat === undefined) reject('claim-missing')
    if (nowSec - iat - tolerance > rules.maxTokenAgeSec) reject('token-too-old')
  }
  checkClaimRules(payload, rules)
}

/** The issuer's `claims` rules, in the order given. Throws TokenRejection. */
export function checkClaimRules(payload: JsonObject, rules: ClaimRules): void {
  if (rules.claims === undefined) return
  for (const check of rules.claims) {
    if (!passes(check, payload)) reject(`claim-mismatch:${check.name}`)
  }
}

/**
 * Compiles an issuer's `claims` map: an exact value, a non-empty list (one of) or a predicate per claim.
 * Throws an Error naming the claim when a rule is none of these.
 */
export function compileClaimRules(rules: unknown, label: string): ClaimCheck[] {
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) {
    throw new Error(`${label}.claims must map claim names to a value, a list of values or a predicate`)
  }
  return Object.entries(rules as Record<string, ClaimRule>).map(([name, rule]) => {
    if (typeof rule === 'function') return { name, test: (value, claims) => rule(value, claims) === true }
    const accepted = Array.isArray(rule) ? rule : [rule]
    if (accepted.length === 0 || !accepted.every(isPrimitive)) {
      throw new Error(
        `${label}.claims.${name} must be a string, number or boolean, a non-empty list of them, or a predicate`,
      )
    }
    return { name, test: (value) => accepted.includes(value as string) }
  })
}

/** jose's typ normalization: case-insensitive, `at+jwt` equals `application/at+jwt`. */
export function normalizeTyp(typ: string): string {
  const lower = typ.toLowerCase()
  return typ.includes('/') ? lower : `application/${lower}`
}

/** A predicate that throws refuses the token (fail closed) like one that returns false. */
function passes(check: ClaimCheck, payload: JsonObject): boolean {
  try {
    return check.test(payload[check.name], payload)
  } catch {
    return false
  }
}

function audienceMatches(aud: unknown, accepted: readonly string[]): boolean {
  if (typeof aud === 'string') return accepted.includes(aud)
  return Array.isArray(aud) && accepted.some((audience) => aud.includes(audience))
}

/** Where a token other than an ID token names its client, the first present wins (no fallback past it). */
const CLIENT_CLAIMS = ['client_id', 'azp', 'appid'] as const

/**
 * An ID token's client is its `aud` (aws-jwt-verify's rule); any other token's `client_id` (RFC 9068,
 * Cognito), else `azp` (Entra v2.0, Auth0, Okta), else `appid` (Entra v1.0, which has no `azp`).
 */
function clientMatches(payload: JsonObject, accepted: readonly string[]): boolean {
  if (payload.token_use === 'id') return audienceMatches(payload.aud, accepted)
  const client = clientOf(payload)
  return typeof client === 'string' && accepted.includes(client)
}

function clientOf(payload: JsonObject): unknown {
  for (const claim of CLIENT_CLAIMS) if (Object.hasOwn(payload, claim)) return payload[claim]
  return undefined
}

function isPrimitive(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

function isOptionalNumber(value: unknown): value is number | undefined {
  return value === undefined || (typeof value === 'number' && Number.isFinite(value))
}
