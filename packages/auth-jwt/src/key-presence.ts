// A key source given but not set (an unset environment variable reads as undefined) is a configuration error
// at construction naming the option, e.g. `jwtAuth: issuers[0] (https://…).secret is undefined — set it to …`,
// rather than "needs exactly one of …; got none". The messages say what kind of value arrived, never the value.
import type { IssuerOptions } from './options'

const HINT = 'an unset environment variable reads as undefined'

/** What each key source must hold, in error messages. */
const WANTED = {
  jwksUri: "the issuer's JWKS URL (https://…)",
  publicKey: "the issuer's public key (PEM, JWK or KeyObject, or a list of them)",
  secret: 'the HMAC secret (a string or bytes, at least 32 bytes for HS256)',
  secretRef: "the Secrets Manager secret's name or ARN, or { secretId, field }",
  secretId: "the Secrets Manager secret's name or ARN",
} as const

/** Why `value` cannot be a key (or key location) at all, or undefined when it may be one. */
function missing(value: unknown): string | undefined {
  if (value === undefined) return 'is undefined'
  if (value === null) return 'is null'
  if (typeof value === 'string') return value === '' ? 'is an empty string' : undefined
  if (value instanceof Uint8Array) return value.byteLength === 0 ? 'is empty (0 bytes)' : undefined
  return undefined
}

function fail(where: string, problem: string, want: string): never {
  throw new TypeError(`${where} ${problem} — set it to ${want}; ${HINT}`)
}

/**
 * When an issuer has no key source, one that is present but unset (`secret: process.env.X`) is named.
 * `label` is the issuer's, e.g. `jwtAuth: issuers[0] (https://issuer.example)`.
 */
export function assertNoUnsetKeySource(options: IssuerOptions, label: string): void {
  for (const name of ['jwksUri', 'publicKey', 'secret', 'secretRef'] as const) {
    if (Object.hasOwn(options, name) && options[name] === undefined)
      fail(`${label}.${name}`, 'is undefined', WANTED[name])
  }
}

/** `secret`, `publicKey` (or one entry of a publicKey list) or `jwksUri` that is null or empty. */
export function assertKeyPresent(value: unknown, where: string, name: keyof typeof WANTED): void {
  const problem = missing(value)
  if (problem !== undefined) fail(where, problem, WANTED[name])
}

/** A `secretRef` (a string, or `{ secretId, field? }`) that names a secret; returns it as an object. */
export function secretRefOf(
  ref: IssuerOptions['secretRef'],
  label: string,
): { secretId: string; field?: string } {
  if (typeof ref === 'string' || ref === undefined || ref === null) {
    assertKeyPresent(ref, `${label}.secretRef`, 'secretRef')
    return { secretId: ref as string }
  }
  if (typeof ref !== 'object') fail(`${label}.secretRef`, `is a ${typeof ref}`, WANTED.secretRef)
  assertKeyPresent(ref.secretId, `${label}.secretRef.secretId`, 'secretId')
  if (typeof ref.secretId !== 'string')
    fail(`${label}.secretRef.secretId`, `is a ${typeof ref.secretId}`, WANTED.secretId)
  return ref
}
