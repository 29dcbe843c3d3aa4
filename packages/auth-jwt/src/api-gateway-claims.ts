import type { HttpEventSource, Principal } from '@lift/security-core'
import { checkClaimRules } from './claims'
import type { JwtAuthConfig } from './config'
import type { JsonObject } from './decode-token'
import { checkIssuerTemplate } from './issuer-template'
import type { IssuerState } from './issuers'
import { reject } from './rejection'

/** Claims whose value is a NumericDate (RFC 7519 §2): API Gateway hands them over as decimal strings. */
const NUMERIC_DATE_CLAIMS = new Set(['exp', 'iat', 'nbf', 'auth_time'])

/**
 * A REST Cognito user pool authorizer renders `exp` and `iat` as Java's Date#toString in UTC
 * (`Tue Apr 04 18:39:39 UTC 2023`), and joins the lists of the pool's tokens with commas (`admin,billing`).
 */
const JAVA_UTC_DATE =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) (\d{2}) (\d{2}):(\d{2}):(\d{2}) UTC (\d{4})$/
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const COGNITO_LIST_CLAIMS = new Set(['cognito:groups', 'cognito:roles'])

/**
 * The claims an API Gateway authorizer already verified, or undefined when the event carries none. Read
 * only when `trustApiGatewayClaims` is on:
 * - HTTP API JWT authorizer: `requestContext.authorizer.jwt.claims`, every value a string (arrays as
 *   `[a b]`, NumericDates as decimal text), normalized back here;
 * - HTTP API Lambda authorizer: `requestContext.authorizer.lambda.claims`, the JSON text jwtAuthorizer()
 *   puts into its context;
 * - REST API: `requestContext.authorizer.claims`, JSON text from jwtAuthorizer(), or an object of strings
 *   from a Cognito user pool authorizer (normalized like the HTTP API's).
 * Malformed claims (no string `sub` or `iss`, no numeric `exp`) are a TokenRejection.
 */
export function apiGatewayClaims(event: unknown, source: HttpEventSource): JsonObject | undefined {
  const authorizer = record(record(event)?.requestContext)?.authorizer
  let claims: JsonObject | undefined
  if (source === 'apigw-http') {
    const jwtClaims = record(record(authorizer)?.jwt)?.claims
    const lambdaClaims = record(record(authorizer)?.lambda)?.claims
    if (jwtClaims !== undefined) claims = stringifiedClaims(jwtClaims)
    else if (lambdaClaims !== undefined) claims = jsonClaims(lambdaClaims)
  } else if (source === 'apigw-rest') {
    const restClaims = record(authorizer)?.claims
    if (typeof restClaims === 'string') claims = jsonClaims(restClaims)
    else if (restClaims !== undefined) claims = stringifiedClaims(restClaims, true)
  }
  if (claims === undefined) return undefined
  const { sub, iss, exp } = claims
  if (
    typeof sub !== 'string' ||
    sub === '' ||
    typeof iss !== 'string' ||
    typeof exp !== 'number' ||
    !Number.isFinite(exp)
  )
    reject('apigw-claims-invalid')
  return claims
}

/**
 * API Gateway's string rendering undone: `[a b]` is a list, a NumericDate claim a number. `rest`: a REST
 * Cognito authorizer's rendering too (Java dates, comma-joined Cognito lists).
 */
function stringifiedClaims(value: unknown, rest = false): JsonObject {
  const claims = record(value)
  if (claims === undefined) return reject('apigw-claims-invalid')
  const normalized: JsonObject = {}
  for (const [name, text] of Object.entries(claims)) {
    if (typeof text !== 'string') normalized[name] = text
    else if (NUMERIC_DATE_CLAIMS.has(name) && /^\d{1,12}$/.test(text)) normalized[name] = Number(text)
    else if (rest && NUMERIC_DATE_CLAIMS.has(name) && JAVA_UTC_DATE.test(text))
      normalized[name] = javaUtcDate(text)
    else if (text.startsWith('[') && text.endsWith(']'))
      normalized[name] = text.slice(1, -1).split(' ').filter(Boolean)
    else if (rest && COGNITO_LIST_CLAIMS.has(name)) normalized[name] = text.split(',').filter(Boolean)
    else normalized[name] = text
  }
  return normalized
}

/** Epoch seconds of `Tue Apr 04 18:39:39 UTC 2023`; text naming no real month stays text. */
function javaUtcDate(text: string): number | string {
  const [, month, day, hours, minutes, seconds, year] = JAVA_UTC_DATE.exec(text)!
  const index = MONTHS.indexOf(month!)
  if (index === -1) return text
  return Date.UTC(Number(year), index, Number(day), Number(hours), Number(minutes), Number(seconds)) / 1000
}

function jsonClaims(value: unknown): JsonObject {
  let claims: unknown
  try {
    claims = JSON.parse(String(value))
  } catch {
    return reject('apigw-claims-invalid')
  }
  return record(claims) ?? reject('apigw-claims-invalid')
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/**
 * The principal of claims API Gateway verified: the issuer allow-list (or resolver), the `{tenantid}`
 * template rule, and the tenant, role and scope rules apply exactly as to a verified token. `exp` is checked
 * again: API Gateway's authorizer cache can hand on a policy for up to its TTL, past the token's expiry.
 */
export function trustedPrincipal(
  config: JwtAuthConfig,
  claims: JsonObject,
  nowMs: number,
): Principal | Promise<Principal> {
  const iss = claims.iss as string
  const found = config.findIssuer(iss, {})
  const principalOf = (issuer: IssuerState | undefined): Principal => {
    if (issuer === undefined) return reject('issuer-not-allowed')
    if ((claims.exp as number) <= Math.floor(nowMs / 1000) - issuer.rules.clockToleranceSec)
      reject('token-expired')
    // API Gateway checked signature and audience; `token_use` and the issuer's claim rules (`hd`, `tid`…)
    // are no part of its checks.
    const { tokenUse } = issuer.rules
    if (tokenUse !== undefined && claims.token_use !== tokenUse) reject('token-use-mismatch')
    checkClaimRules(claims, issuer.rules)
    checkIssuerTemplate(issuer, claims)
    return config.mapPrincipal(claims, issuer)
  }
  return found instanceof Promise ? found.then(principalOf) : principalOf(found)
}
