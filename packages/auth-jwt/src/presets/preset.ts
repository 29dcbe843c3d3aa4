import { assertKnownOptions } from '@lift/security-core'
import type { IssuerOptions } from '../options'

/**
 * What every preset lets the caller set over the provider's defaults: another key source (a JWKS URL
 * such as a local test server, or pinned public keys), other algorithms, extra `claims` rules (merged over
 * the preset's; a rule for the same claim replaces the preset's), a fixed tenant, the role and scope
 * claims, an expected `typ`, required claims and a maximum token age.
 *
 * @example
 * ```ts
 * import { auth0, type PresetOverrides } from '@lift/auth-jwt'
 *
 * // In a test: the keys come from a JWKS server on 127.0.0.1, the rest stays the provider's.
 * const overrides: PresetOverrides = { jwksUri: 'http://127.0.0.1:8080/.well-known/jwks.json' }
 * auth0({ domain: 'example.eu.auth0.com', audience: 'https://api.example.com', ...overrides })
 * ```
 */
export type PresetOverrides = Partial<Pick<IssuerOptions, (typeof OVERRIDES)[number]>>

const OVERRIDES = [
  'jwksUri',
  'publicKey',
  'algorithms',
  'claims',
  'tenantId',
  'roles',
  'scopes',
  'typ',
  'requiredClaims',
  'maxTokenAgeSec',
] as const satisfies readonly (keyof IssuerOptions)[]

/** Checks a preset's options object and its option names (its own `names` plus the overrides). */
export function presetOptions<T extends object>(
  preset: string,
  options: T,
  names: Readonly<Record<Exclude<keyof T, keyof PresetOverrides>, true>>,
): T {
  if (typeof options !== 'object' || options === null) throw new Error(`${preset}: options are required`)
  assertKnownOptions(preset, options, { ...overrideNames(), ...names })
  return options
}

/** The preset's issuer with the caller's overrides applied; a given key source replaces the preset's. */
export function withOverrides(base: IssuerOptions, overrides: PresetOverrides): IssuerOptions {
  const issuer: Record<string, unknown> = { ...base }
  if (overrides.jwksUri !== undefined || overrides.publicKey !== undefined) delete issuer.jwksUri
  for (const name of OVERRIDES) {
    if (overrides[name] !== undefined) issuer[name] = overrides[name]
  }
  if (base.claims !== undefined || overrides.claims !== undefined) {
    issuer.claims = { ...base.claims, ...overrides.claims }
  }
  return Object.freeze(issuer) as unknown as IssuerOptions
}

/** A non-empty string, or a non-empty list of them, else an Error naming `preset` and `name`. */
export function requireNames(
  preset: string,
  name: string,
  value: unknown,
): asserts value is string | readonly string[] {
  const list = Array.isArray(value) ? value : [value]
  if (list.length === 0 || !list.every((item) => typeof item === 'string' && item !== '')) {
    throw new Error(`${preset}: \`${name}\` must be a non-empty string or a non-empty list of them`)
  }
}

/** A bare host name (`tenant.eu.auth0.com`): no scheme, path, port or trailing dot. */
export function requireHost(preset: string, name: string, value: unknown): asserts value is string {
  if (
    typeof value !== 'string' ||
    !/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i.test(value)
  ) {
    throw new Error(`${preset}: \`${name}\` must be a host name such as example.com (no https://, no path)`)
  }
}

/** The override names as an option-name record (made per call: importing this module computes nothing). */
function overrideNames(): Readonly<Record<string, true>> {
  return Object.fromEntries(OVERRIDES.map((name) => [name, true]))
}
