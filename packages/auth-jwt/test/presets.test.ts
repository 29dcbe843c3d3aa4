// Preset option checks and overrides (the token layouts themselves are in providers.test.ts).
import { describe, expect, it } from '@jest/globals'
import { auth0, cognito, entra, google, jwtAuth, okta } from '../src/index'
import { claims, NOW_MS, signJwt } from './support/fixtures'
import { testKeys } from './support/keys'
import { app, bearer, call } from './support/run'

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'

describe('preset option values are checked', () => {
  it.each<[string, () => unknown, RegExp]>([
    ['cognito without options', () => cognito(undefined as never), /cognito: options are required/],
    [
      'cognito with a pool id without region',
      () => cognito({ userPoolId: 'AbCdEf123', clientId: 'c', tokenUse: 'access' }),
      /userPoolId/,
    ],
    [
      'cognito with a non-string pool id',
      () => cognito({ userPoolId: 5 as never, clientId: 'c', tokenUse: 'access' }),
      /userPoolId/,
    ],
    [
      'cognito without tokenUse',
      () => cognito({ userPoolId: 'eu-west-1_A', clientId: 'c' } as never),
      /tokenUse/,
    ],
    [
      'cognito without clientId',
      () => cognito({ userPoolId: 'eu-west-1_A', tokenUse: 'access' } as never),
      /clientId/,
    ],
    [
      'cognito with an empty clientId list',
      () => cognito({ userPoolId: 'eu-west-1_A', clientId: [], tokenUse: 'id' }),
      /clientId/,
    ],
    [
      'entra with a domain as tenant',
      () => entra({ tenantId: 'contoso.onmicrosoft.com', audience: 'a' }),
      /GUID/,
    ],
    ['entra with a non-string tenant', () => entra({ tenantId: 1 as never, audience: 'a' }), /GUID/],
    ['entra without audience', () => entra({ tenantId: TENANT } as never), /audience/],
    [
      'entra with an unknown version',
      () => entra({ tenantId: TENANT, audience: 'a', version: '3.0' as never }),
      /version/,
    ],
    [
      'auth0 with a URL as domain',
      () => auth0({ domain: 'https://a.auth0.com/', audience: 'a' }),
      /host name/,
    ],
    ['auth0 with a non-string domain', () => auth0({ domain: 1 as never, audience: 'a' }), /host name/],
    ['auth0 without audience', () => auth0({ domain: 'a.auth0.com' } as never), /audience/],
    [
      'auth0 with an empty clientId',
      () => auth0({ domain: 'a.auth0.com', audience: 'a', clientId: '' }),
      /clientId/,
    ],
    [
      'okta with a path in the domain',
      () => okta({ domain: 'a.okta.com/oauth2', audience: 'a' }),
      /host name/,
    ],
    [
      'okta with a bad server id',
      () => okta({ domain: 'a.okta.com', authorizationServerId: '../x', audience: 'a' }),
      /authorizationServerId/,
    ],
    [
      'okta with a non-string server id',
      () => okta({ domain: 'a.okta.com', authorizationServerId: 1 as never, audience: 'a' }),
      /authorizationServerId/,
    ],
    ['okta without audience', () => okta({ domain: 'a.okta.com' } as never), /audience/],
    [
      'okta with an empty clientId',
      () => okta({ domain: 'a.okta.com', audience: 'a', clientId: [] }),
      /clientId/,
    ],
    ['google without clientId', () => google({} as never), /clientId/],
    ['google with an empty hostedDomain', () => google({ clientId: 'c', hostedDomain: '' }), /hostedDomain/],
  ])('refuses %s', (_name, construct, message) => {
    expect(construct).toThrow(message)
  })

  it('lets jwtAuth check override values (an unknown alg in an override)', () => {
    const issuer = google({ clientId: 'c', algorithms: ['HS1' as never] })
    expect(() => jwtAuth({ issuers: [issuer] })).toThrow(/"HS1" is not supported/)
  })
})

describe('preset overrides', () => {
  it('a publicKey replaces the JWKS URL (pinned keys, or tests without a server)', async () => {
    const issuer = cognito({
      userPoolId: 'eu-west-1_AbC',
      clientId: 'c1',
      tokenUse: 'access',
      publicKey: testKeys().rsa.publicKey,
    })
    expect(issuer.jwksUri).toBeUndefined()
    const token = await signJwt(
      claims({ iss: issuer.issuer, aud: undefined, client_id: 'c1', token_use: 'access' }),
    )
    const response = await call(app(jwtAuth({ issuers: [issuer], now: () => NOW_MS })), bearer(token))
    expect(response.statusCode).toBe(200)
  })

  it('extra claims rules are merged over the preset rules; the same claim replaces the preset rule', () => {
    const issuer = entra({ tenantId: TENANT, audience: 'a', claims: { idtyp: 'app', ver: ['2.0'] } })
    expect(issuer.claims).toEqual({ tid: TENANT, ver: ['2.0'], idtyp: 'app' })
    expect(
      auth0({ domain: 'a.auth0.com', audience: 'a', claims: { gty: 'client-credentials' } }).claims,
    ).toEqual({
      gty: 'client-credentials',
    })
  })

  it('roles, scopes, tenantId, typ, requiredClaims and maxTokenAgeSec replace the preset values', () => {
    const issuer = okta({
      domain: 'a.okta.com',
      audience: 'a',
      roles: { claim: 'groups' },
      scopes: { claim: 'scope' },
      tenantId: 'acme',
      typ: 'application/okta-internal-at+jwt',
      requiredClaims: ['uid'],
      maxTokenAgeSec: 3600,
    })
    expect(issuer).toMatchObject({
      roles: { claim: 'groups' },
      scopes: { claim: 'scope' },
      tenantId: 'acme',
      typ: 'application/okta-internal-at+jwt',
      requiredClaims: ['uid'],
      maxTokenAgeSec: 3600,
    })
    expect(Object.isFrozen(issuer)).toBe(true)
  })

  it.each(['common', 'Organizations'])(
    'entra with tenantId %s gives the {tenantid} issuer template',
    (tenantId) => {
      const keys = tenantId.toLowerCase()
      const issuer = entra({ tenantId, audience: 'a' })
      expect(issuer).toMatchObject({
        issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0',
        algorithms: ['RS256'],
        jwksUri: `https://login.microsoftonline.com/${keys}/discovery/v2.0/keys`,
        audience: 'a',
        roles: { claim: 'roles' },
        scopes: { claim: 'scp' },
      })
      expect(issuer.tenantId).toBeUndefined()
      expect(issuer.claims?.ver).toBe('2.0')
      expect(entra({ tenantId, audience: 'a', version: '1.0' })).toMatchObject({
        issuer: 'https://sts.windows.net/{tenantid}/',
        jwksUri: `https://login.microsoftonline.com/${keys}/discovery/keys`,
      })
    },
  )

  it('entra organizations refuses personal Microsoft accounts; common accepts them', () => {
    const rule = entra({ tenantId: 'organizations', audience: 'a' }).claims?.tid as (tid: unknown) => boolean
    expect(rule('9188040d-6c67-4c5b-b112-36a304b66dad')).toBe(false)
    expect(rule(TENANT)).toBe(true)
    expect(entra({ tenantId: 'common', audience: 'a' }).claims).toEqual({ ver: '2.0' })
  })

  it('entra consumers is the personal-accounts tenant', () => {
    expect(entra({ tenantId: 'consumers', audience: 'a' })).toMatchObject({
      issuer: 'https://login.microsoftonline.com/9188040d-6c67-4c5b-b112-36a304b66dad/v2.0',
      tenantId: '9188040d-6c67-4c5b-b112-36a304b66dad',
    })
  })

  it("entra keeps the directory id as the principal's tenant, lower case", () => {
    expect(entra({ tenantId: TENANT.toUpperCase(), audience: 'a' }).tenantId).toBe(TENANT)
  })
})
