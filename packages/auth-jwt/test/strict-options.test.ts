// Every option object of the public API refuses unknown names at construction, naming the option: a typo
// must never turn a rule off (authorize({ role }) would otherwise let any authenticated user in).
import { describe, expect, it } from '@jest/globals'
import { auth0, authorize, cognito, entra, google, type JwtAuthOptions, jwtAuth, okta } from '../src/index'
import { ISS, rsaIssuer } from './support/fixtures'

const withOptions = (options: Record<string, unknown>) => () =>
  jwtAuth({ issuers: [rsaIssuer()], ...options } as JwtAuthOptions)
const withIssuer = (extra: Record<string, unknown>) => withOptions({ issuers: [rsaIssuer(extra as never)] })

describe('unknown option names are construction errors', () => {
  it.each<[string, () => unknown, string]>([
    ['jwtAuth', withOptions({ issuer: ISS }), 'jwtAuth: unknown option "issuer"'],
    ['jwtAuth.jwks', withOptions({ jwks: { timeout: 1 } }), 'jwtAuth: unknown option "jwks.timeout"'],
    ['jwtAuth.tenant', withOptions({ tenant: { claims: 'tid' } }), 'jwtAuth: unknown option "tenant.claims"'],
    ['jwtAuth.cache', withOptions({ cache: { ttlSec: 1 } }), 'jwtAuth: unknown option "cache.ttlSec"'],
    [
      'jwtAuth.token',
      withOptions({ token: { header: 'x', schema: 'Bearer' } }),
      'jwtAuth: unknown option "token.schema"',
    ],
    ['jwtAuth.roles', withOptions({ roles: { claims: 'groups' } }), 'jwtAuth: unknown option "roles.claims"'],
    ['jwtAuth.scopes', withOptions({ scopes: { map: () => [] } }), 'jwtAuth: unknown option "scopes.map"'],
    ['issuers[i]', withIssuer({ audiance: 'api' }), 'jwtAuth: unknown option "issuers[0].audiance"'],
    [
      'issuers[i].roles',
      withIssuer({ roles: { claimName: 'x' } }),
      'jwtAuth: unknown option "issuers[0].roles.claimName"',
    ],
    [
      'issuers[i].scopes',
      withIssuer({ scopes: { claimName: 'x' } }),
      'jwtAuth: unknown option "issuers[0].scopes.claimName"',
    ],
    [
      'issuers[i].secretRef',
      withOptions({
        issuers: [
          { issuer: ISS, audience: 'a', algorithms: ['HS256'], secretRef: { secretId: 's', key: 'k' } },
        ],
      }),
      'jwtAuth: unknown option "issuers[0].secretRef.key"',
    ],
    [
      'authorize',
      () => authorize({ role: { anyOf: ['admin'] } } as never),
      'authorize: unknown option "role"',
    ],
    [
      'authorize.roles',
      () => authorize({ roles: { oneOf: ['admin'] } } as never),
      'authorize: unknown option "roles.oneOf"',
    ],
    [
      'authorize.scopes',
      () => authorize({ scopes: { anyOf: ['a'], all: ['b'] } } as never),
      'authorize: unknown option "scopes.all"',
    ],
    [
      'cognito',
      () => cognito({ userPoolId: 'eu-west-1_A', clientId: 'c', tokenUse: 'access', region: 'x' } as never),
      'cognito: unknown option "region"',
    ],
    [
      'entra',
      () => entra({ tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47', audience: 'a', tenant: 'x' } as never),
      'entra: unknown option "tenant"',
    ],
    [
      'auth0',
      () => auth0({ domain: 'a.auth0.com', audience: 'a', audiences: [] } as never),
      'auth0: unknown option "audiences"',
    ],
    [
      'okta',
      () => okta({ domain: 'a.okta.com', audience: 'a', serverId: 'x' } as never),
      'okta: unknown option "serverId"',
    ],
    ['google', () => google({ clientId: 'c', hd: 'example.com' } as never), 'google: unknown option "hd"'],
  ])('%s', (_name, construct, message) => {
    expect(construct).toThrow(new TypeError(message))
  })

  it('accepts every documented option of jwtAuth, an issuer and authorize', () => {
    expect(() =>
      jwtAuth({
        issuers: [
          rsaIssuer({
            clientId: 'c',
            tokenUse: 'access',
            claims: { ver: '2.0' },
            tenantId: 't',
            roles: { claim: 'groups', map: () => [] },
            scopes: { claim: 'scp' },
            typ: 'at+jwt',
            requiredClaims: ['jti'],
            maxTokenAgeSec: 60,
          }),
        ],
        token: { header: 'authorization', scheme: 'Bearer' },
        tenant: { claim: 'tid', fromRequest: () => undefined, required: false },
        roles: { claim: 'roles', map: () => [] },
        scopes: { claim: ['scope', 'scp'] },
        clockToleranceSec: 5,
        maxTokenBytes: 8192,
        cache: { maxEntries: 10, maxTtlSec: 60 },
        credentialsOptional: false,
        jwks: { timeoutMs: 1, cooldownMs: 1, cacheMaxAgeMs: 1, maxBytes: 1, failureCooldownMs: 1 },
        secretsProvider: undefined,
        realm: 'api',
        now: Date.now,
      }),
    ).not.toThrow()
    expect(() =>
      authorize({
        roles: { anyOf: ['a'], allOf: ['b'] },
        scopes: { anyOf: ['c'] },
        tenant: 'match-request',
        requestTenant: () => undefined,
        check: () => true,
        realm: 'api',
        now: Date.now,
      }),
    ).not.toThrow()
  })
})

describe('issuer construction errors name the issuer', () => {
  const { audience: _audience, ...noAudience } = rsaIssuer()

  it.each<[string, Record<string, unknown>, RegExp]>([
    [
      'no audience rule',
      noAudience,
      /issuers\[0\] \(https:\/\/auth\.example\.com\/\) needs at least one audience rule/,
    ],
    [
      'an empty clientId',
      { ...noAudience, clientId: '' },
      /\(https:\/\/auth\.example\.com\/\)\.clientId must be a non-empty/,
    ],
    ['an empty clientId list', { ...noAudience, clientId: [] }, /clientId must be a non-empty/],
    ['an unknown tokenUse', { ...noAudience, tokenUse: 'refresh' }, /tokenUse must be 'access' or 'id'/],
    ['an empty issuer list', { ...rsaIssuer(), issuer: [] }, /issuer must be a non-empty string/],
    [
      'an issuer list with an empty member',
      { ...rsaIssuer(), issuer: [ISS, ''] },
      /issuer must be a non-empty/,
    ],
    ['a bad per-issuer roles.claim', { ...rsaIssuer(), roles: { claim: '' } }, /issuers\[0\]\.roles\.claim/],
    [
      'per-issuer roles that are no object',
      { ...rsaIssuer(), roles: 'groups' },
      /issuers\[0\]\.roles. must be an object/,
    ],
    [
      'per-issuer scopes that are null',
      { ...rsaIssuer(), scopes: null },
      /issuers\[0\]\.scopes. must be an object/,
    ],
    [
      'a null secretRef',
      { issuer: ISS, audience: 'a', algorithms: ['HS256'], secretRef: null },
      /\.secretRef is null/,
    ],
  ])('refuses %s', (_name, issuer, message) => {
    expect(withOptions({ issuers: [issuer] })).toThrow(message)
  })

  it('refuses an iss listed twice across spellings', () => {
    expect(withOptions({ issuers: [rsaIssuer({ issuer: ['a', 'b'] }), rsaIssuer({ issuer: 'b' })] })).toThrow(
      'jwtAuth: issuer "b" is listed twice',
    )
  })

  it('accepts tokenUse alone as the audience rule', () => {
    expect(withOptions({ issuers: [{ ...noAudience, tokenUse: 'id' }] })).not.toThrow()
  })

  it('refuses authorize requirements that are not objects', () => {
    expect(() => authorize({ roles: null as never })).toThrow(/`roles` must be \{ anyOf\?, allOf\? \}/)
    expect(() => authorize({ roles: 'admin' as never })).toThrow(/`roles` must be/)
  })
})
