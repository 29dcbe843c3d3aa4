import type { CryptoKey, JSONWebKeySet, JWK, KeyObject } from 'jose'
import { createHmacIssuer, HMAC_SECRET_BYTES } from './hmac-test-issuer'
import { createKeyPairIssuer } from './key-pair-test-issuer'

/** The HMAC JWT algorithms: a {@link createTestIssuer} with one of them has a shared secret and no server. */
export type HmacAlgorithm = 'HS256' | 'HS384' | 'HS512'
/** The key-pair JWT algorithms: a {@link createTestIssuer} with one of them serves a JWKS (unless `serve: false`). */
export type AsymmetricAlgorithm =
  | 'RS256'
  | 'RS384'
  | 'RS512'
  | 'PS256'
  | 'PS384'
  | 'PS512'
  | 'ES256'
  | 'ES384'
  | 'ES512'
  | 'EdDSA'
  | 'Ed25519'
/** Every algorithm {@link createTestIssuer} signs with. */
export type TestIssuerAlgorithm = HmacAlgorithm | AsymmetricAlgorithm

/**
 * Options of {@link createTestIssuer}; every one is optional.
 *
 * @example
 * ```ts
 * import { createTestIssuer } from '@lift/testing'
 *
 * const issuer = await createTestIssuer({
 *   alg: 'ES256',
 *   kid: 'key-2026-01',
 *   audience: 'api://orders',
 *   expiresInSec: 60,
 * })
 * const shared = await createTestIssuer({ alg: 'HS256', issuer: 'https://auth.example.com', secret: 'a-32-byte-shared-secret-for-hs256' })
 * ```
 */
export interface TestIssuerOptions {
  /** Signing algorithm (default RS256). */
  alg?: TestIssuerAlgorithm
  /** `iss` of every token (default: the JWKS server's base URL, or `https://issuer.lift.test` without one). */
  issuer?: string
  /** `kid` of the first key (default: its RFC 7638 thumbprint). */
  kid?: string
  /** Serve the JWKS on 127.0.0.1 (default true; HS* never serves). */
  serve?: boolean
  /** Default `aud` of every token. */
  audience?: string | readonly string[]
  /** Default lifetime of a token in seconds (default 300). */
  expiresInSec?: number
  /** Clock in epoch ms for `iat`/`exp` (default `Date.now`). */
  now?: () => number
  /** HS* only: the shared secret (default: random, as long as the hash output). */
  secret?: string | Uint8Array
}

/**
 * Per-token options of a test issuer's `sign(claims, options)`.
 *
 * @example
 * ```ts
 * import { createTestIssuer } from '@lift/testing'
 *
 * const issuer = await createTestIssuer()
 * const attacker = await createTestIssuer({ serve: false })
 * const forged = await issuer.sign({ sub: 'user-1' }, { key: attacker.privateKey }) // issuer's kid, wrong key
 * const shortLived = await issuer.sign({ sub: 'user-1' }, { expiresIn: 5, header: { typ: 'at+jwt' } })
 * ```
 */
export interface TokenOptions {
  /** Header fields over `{ alg, typ: 'JWT', kid }`; a field set to `undefined` is left out. */
  header?: Readonly<Record<string, unknown>>
  /** Seconds from `iat` to `exp` (default: the issuer's expiresInSec). */
  expiresIn?: number
  /** Sign with this key instead of the issuer's (e.g. another issuer's key, for attack tests). */
  key?: CryptoKey | KeyObject | JWK | Uint8Array
}

/**
 * Options of a test issuer's `rotate(options)`.
 *
 * @example
 * ```ts
 * import { createTestIssuer } from '@lift/testing'
 *
 * const issuer = await createTestIssuer({ alg: 'RS256' })
 * const newKid = await issuer.rotate({ kid: 'key-2', keepPrevious: true }) // JWKS now holds both keys
 * ```
 */
export interface RotateOptions {
  /** `kid` of the new key (default: its thumbprint). */
  kid?: string
  /** Keep publishing the previous key next to the new one, as during a real rotation (default false). */
  keepPrevious?: boolean
}

/** What every test issuer offers. */
export interface TestIssuerBase {
  readonly issuer: string
  readonly alg: TestIssuerAlgorithm
  /** `kid` of the current signing key. */
  readonly kid: string
  /**
   * A signed JWT: claims over the defaults `{ iss, aud?, iat: now, exp: now + expiresIn }`; a claim set
   * to `undefined` is left out (e.g. `{ exp: undefined }` for a token without expiry).
   */
  sign(claims?: Readonly<Record<string, unknown>>, options?: TokenOptions): Promise<string>
  /** Replaces the signing key; returns the new kid. */
  rotate(options?: RotateOptions): Promise<string>
  /** Stops the JWKS server (if any). Safe to call twice. */
  close(): Promise<void>
}

/** An issuer with a key pair and (unless `serve: false`) a JWKS endpoint. */
export interface AsymmetricTestIssuer extends TestIssuerBase {
  readonly alg: AsymmetricAlgorithm
  /** The public JWK Set currently published (a fresh copy). */
  readonly jwks: JSONWebKeySet
  /** URL of the JWKS on 127.0.0.1 (throws when created with `serve: false`). */
  readonly jwksUri: string
  /** URL of an OpenID discovery document naming `issuer` and `jwks_uri` (throws when not served). */
  readonly discoveryUri: string
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
  readonly publicJwk: JWK
  /** The public key as SPKI PEM. */
  readonly publicKeyPem: string
  /** Requests the JWKS endpoint has answered. */
  jwksRequests(): number
  /**
   * Serve an arbitrary JWKS response from now on (attack tests: huge, invalid, wrong type): a string or
   * bytes as they are, anything else as JSON.
   */
  setJwks(body: unknown, init?: { status?: number; contentType?: string }): void
  /** Serve the issuer's real JWKS again. */
  resetJwks(): void
}

/** An issuer with a shared secret: nothing is served. */
export interface SymmetricTestIssuer extends TestIssuerBase {
  readonly alg: HmacAlgorithm
  /** The current shared secret. */
  readonly secret: Uint8Array
}

/** What {@link createTestIssuer} resolves to: a key-pair issuer or, for HS*, a shared-secret issuer. */
export type TestIssuer = AsymmetricTestIssuer | SymmetricTestIssuer

/**
 * A JWT issuer for tests. Asymmetric algorithms get a fresh key pair and (unless `serve: false`) a JWKS
 * endpoint on 127.0.0.1; HS* algorithms get a shared secret and no server. Tokens are signed by jose.
 *
 * @example
 * ```ts
 * import { jwtAuth } from '@lift/auth-jwt'
 * import { apiGatewayV2Event, createTestIssuer } from '@lift/testing'
 *
 * const issuer = await createTestIssuer({ alg: 'ES256', audience: 'api://orders' })
 * const auth = jwtAuth({ issuers: [{ issuer: issuer.issuer, jwksUri: issuer.jwksUri, audience: 'api://orders', algorithms: ['ES256'] }] })
 * const token = await issuer.sign({ sub: 'user-1', scope: 'orders:read' })
 * const event = apiGatewayV2Event({ headers: { authorization: `Bearer ${token}` } })
 * await issuer.close()
 * ```
 */
export function createTestIssuer(
  options: TestIssuerOptions & { alg: HmacAlgorithm },
): Promise<SymmetricTestIssuer>
export function createTestIssuer(
  options?: TestIssuerOptions & { alg?: AsymmetricAlgorithm },
): Promise<AsymmetricTestIssuer>
export function createTestIssuer(options?: TestIssuerOptions): Promise<TestIssuer>
export async function createTestIssuer(options: TestIssuerOptions = {}): Promise<TestIssuer> {
  const alg = options.alg ?? 'RS256'
  const expiresInSec = options.expiresInSec ?? 300
  if (!Number.isFinite(expiresInSec) || expiresInSec < 0) {
    throw new TypeError(`createTestIssuer: expiresInSec must be a non-negative number (got ${expiresInSec})`)
  }
  // jose is ESM-only and only needed here: loaded on first use so that importing the event builders stays cheap.
  const jose = await import('jose')
  if (Object.hasOwn(HMAC_SECRET_BYTES, alg)) return createHmacIssuer(jose, alg as HmacAlgorithm, options)
  if (ASYMMETRIC.includes(alg as AsymmetricAlgorithm))
    return createKeyPairIssuer(jose, alg as AsymmetricAlgorithm, options)
  const supported = [...Object.keys(HMAC_SECRET_BYTES), ...ASYMMETRIC].join(', ')
  throw new TypeError(`createTestIssuer: unsupported alg ${JSON.stringify(alg)}; use one of ${supported}`)
}

const ASYMMETRIC: readonly AsymmetricAlgorithm[] = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]
