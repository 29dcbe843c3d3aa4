import { describe, expect, it } from '@jest/globals'
import { jwtAuth } from '../src/index'
import type { JwtAuthOptions } from '../src/options'
import { ISS, rsaIssuer } from './support/fixtures'

const build = (options: Partial<JwtAuthOptions>) => () =>
  jwtAuth({ issuers: [rsaIssuer()], ...options } as JwtAuthOptions)
const issuer = (extra: Record<string, unknown>) => build({ issuers: [rsaIssuer(extra as never)] })

describe('jwtAuth: configuration is validated once, at construction', () => {
  it('returns a middleware with only a before hook', () => {
    const middleware = jwtAuth({ issuers: [rsaIssuer()] })
    expect(Object.keys(middleware)).toEqual(['before'])
  })

  it.each<[string, () => unknown, RegExp]>([
    ['no options', () => jwtAuth(undefined as never), /options are required/],
    ['no issuers', build({ issuers: [] }), /at least one issuer/],
    ['issuers not a list', build({ issuers: 'x' as never }), /at least one issuer/],
    ['an issuer that is not an object', build({ issuers: [null as never] }), /must be an object/],
    ['an empty issuer', issuer({ issuer: '' }), /issuer must be a non-empty string/],
    ['a duplicated issuer', build({ issuers: [rsaIssuer(), rsaIssuer()] }), /listed twice/],
    ['no audience', issuer({ audience: [] }), /audience/],
    ['an empty audience', issuer({ audience: '' }), /audience/],
    ['no algorithms', issuer({ algorithms: [] }), /algorithms must list/],
    ['alg none', issuer({ algorithms: ['none'] }), /"none" is not supported/],
    ['an unknown alg', issuer({ algorithms: ['RS1'] }), /"RS1" is not supported/],
    ['requiredClaims not names', issuer({ requiredClaims: [1] }), /requiredClaims/],
    ['a negative maxTokenAgeSec', issuer({ maxTokenAgeSec: -1 }), /maxTokenAgeSec/],
    ['an empty typ', issuer({ typ: '' }), /typ/],
    ['an empty tenantId', issuer({ tenantId: '' }), /tenantId/],
    [
      'two key sources',
      issuer({ jwksUri: 'https://x.example/jwks' }),
      /exactly one of .* got publicKey, jwksUri|exactly one of/,
    ],
    ['an unset key source', issuer({ publicKey: undefined }), /\.publicKey is undefined/],
    [
      'an invalid PEM',
      issuer({ publicKey: '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----' }),
      /not a valid public key/,
    ],
    ['an empty key list', issuer({ publicKey: [] }), /empty list/],
    ['a number as key', issuer({ publicKey: 5 }), /PEM string, a JWK or a KeyObject/],
    [
      'a secret of the wrong type',
      build({ issuers: [{ issuer: ISS, audience: 'a', algorithms: ['HS256'], secret: 5 as never }] }),
      /string or a Uint8Array/,
    ],
    [
      'a secretRef without id',
      build({
        issuers: [{ issuer: ISS, audience: 'a', algorithms: ['HS256'], secretRef: { secretId: '' } }],
      }),
      /secretId/,
    ],
    ['a jwksUri that is no URL', issuer({ publicKey: undefined, jwksUri: 'not a url' }), /not a valid URL/],
    [
      'a plain-http jwksUri',
      issuer({ publicKey: undefined, jwksUri: 'http://keys.example/jwks' }),
      /must use https/,
    ],
    ['a negative clock tolerance', build({ clockToleranceSec: -1 }), /clockToleranceSec/],
    ['a zero maxTokenBytes', build({ maxTokenBytes: 0 }), /maxTokenBytes/],
    ['a fractional JWKS timeout', build({ jwks: { timeoutMs: 1.5 } }), /jwks.timeoutMs/],
    ['a zero JWKS timeout', build({ jwks: { timeoutMs: 0 } }), /jwks.timeoutMs. must be an integer >= 1/],
    ['a zero JWKS size limit', build({ jwks: { maxBytes: 0 } }), /jwks.maxBytes/],
    [
      'a negative JWKS cooldown',
      build({ jwks: { cooldownMs: -1 } }),
      /jwks.cooldownMs. must be an integer >= 0/,
    ],
    ['a non-function now', build({ now: 5 as never }), /now/],
    ['a non-function fromRequest', build({ tenant: { fromRequest: 'path' as never } }), /fromRequest/],
    ['an empty tenant claim', build({ tenant: { claim: '' } }), /tenant.claim/],
    ['a non-function roles.map', build({ roles: { map: [] as never } }), /roles.map/],
    ['an empty roles claim list', build({ roles: { claim: [] } }), /roles.claim/],
    ['an empty scopes claim list', build({ scopes: { claim: [] } }), /scopes.claim/],
    ['a realm with a quote', build({ realm: 'a"b' }), /realm/],
    ['two token sources', build({ token: { header: 'a', cookie: 'b' } as never }), /exactly one of/],
    ['an empty token name', build({ token: { cookie: '' } }), /token.cookie/],
    ['a scheme for a cookie', build({ token: { cookie: 'c', scheme: 'Bearer' } as never }), /scheme/],
    ['an invalid scheme', build({ token: { header: 'authorization', scheme: 'Bear er' } }), /scheme/],
    ['a zero cache size', build({ cache: { maxEntries: 0 } }), /cache.maxEntries/],
    ['a zero cache TTL', build({ cache: { maxTtlSec: 0 } }), /cache.maxTtlSec/],
  ])('refuses %s', (_name, construct, message) => {
    expect(construct).toThrow(message)
  })

  it('accepts a jwksUri on https or on localhost, and a secretRef given as a string', () => {
    expect(
      issuer({ publicKey: undefined, jwksUri: 'https://keys.example/.well-known/jwks.json' }),
    ).not.toThrow()
    expect(issuer({ publicKey: undefined, jwksUri: 'http://localhost:3000/jwks' })).not.toThrow()
    expect(
      build({ issuers: [{ issuer: ISS, audience: 'a', algorithms: ['HS256'], secretRef: 'jwt-secret' }] }),
    ).not.toThrow()
  })

  it('does no network, no client creation and no secret fetch at construction', () => {
    let used = false
    const use = <T>(value: T): T => {
      used = true
      return value
    }
    const provider = {
      get: async () => use('x'),
      getRotating: async () => use({ current: 'x' }),
      prefetch: async () => use(undefined),
    }
    jwtAuth({
      issuers: [
        rsaIssuer({ publicKey: undefined, jwksUri: 'http://127.0.0.1:9/never-called' }),
        { issuer: 'https://hs.example', audience: 'a', algorithms: ['HS256'], secretRef: 'id' },
      ],
      secretsProvider: provider,
    })
    expect(used).toBe(false)
  })
})
