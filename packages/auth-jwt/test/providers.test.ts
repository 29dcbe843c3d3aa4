// The presets against tokens laid out exactly as each identity provider issues them (support/providers.ts),
// signed by @lift/testing's issuer under the provider's real `iss` and verified through its JWKS served on
// 127.0.0.1 (the presets' `jwksUri` override). Each provider's confused-deputy variants are refused with 401.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import type { SecurityEvent } from '@lift/security-core'
import { type AsymmetricTestIssuer, createTestIssuer } from '@lift/testing'
import { auth0, cognito, entra, google, type IssuerOptions, jwtAuth, okta } from '../src/index'
import * as p from './support/providers'
import { app, bearer, call, captureEvents } from './support/run'

const issuers: Record<'cognito' | 'entra' | 'auth0' | 'okta' | 'google', AsymmetricTestIssuer> = {} as never
let capture: ReturnType<typeof captureEvents>
let events: SecurityEvent[]

beforeAll(async () => {
  issuers.cognito = await createTestIssuer({ issuer: p.COGNITO_ISS })
  issuers.entra = await createTestIssuer({ issuer: p.entraIss(p.ENTRA_TENANT) })
  issuers.auth0 = await createTestIssuer({ issuer: p.AUTH0_ISS })
  issuers.okta = await createTestIssuer({ issuer: p.OKTA_ISS })
  issuers.google = await createTestIssuer({ issuer: 'https://accounts.google.com' })
})
afterAll(async () => {
  await Promise.all(Object.values(issuers).map((issuer) => issuer.close()))
})
beforeEach(() => {
  capture = captureEvents()
  events = capture.events
})
afterEach(() => capture.stop())

/** Calls a stack of the given issuers with a token; returns the status, the principal and the reason. */
async function present(configured: IssuerOptions | IssuerOptions[], token: string) {
  const handler = app(jwtAuth({ issuers: [configured].flat(), cache: false }))
  const response = await call(handler, bearer(token))
  const event = events.at(-1)
  return {
    status: response.statusCode,
    principal: response.statusCode === 200 ? JSON.parse(response.body) : undefined,
    reason: event?.reason,
  }
}

describe('cognito()', () => {
  const accessPreset = (extra = {}) =>
    cognito({
      userPoolId: p.COGNITO_POOL,
      clientId: p.COGNITO_CLIENT,
      tokenUse: 'access',
      jwksUri: issuers.cognito.jwksUri,
      ...extra,
    })
  const idPreset = () =>
    cognito({
      userPoolId: p.COGNITO_POOL,
      clientId: p.COGNITO_CLIENT,
      tokenUse: 'id',
      jwksUri: issuers.cognito.jwksUri,
    })

  it('fills the issuer, JWKS URL and rules of the user pool', () => {
    const preset = cognito({ userPoolId: p.COGNITO_POOL, clientId: p.COGNITO_CLIENT, tokenUse: 'access' })
    expect(preset).toEqual({
      issuer: p.COGNITO_ISS,
      algorithms: ['RS256'],
      jwksUri: `${p.COGNITO_ISS}/.well-known/jwks.json`,
      tokenUse: 'access',
      clientId: p.COGNITO_CLIENT,
      roles: { claim: 'cognito:groups' },
      scopes: { claim: 'scope' },
    })
    expect(cognito({ userPoolId: 'us-gov-west-1_Abc', clientId: null, tokenUse: 'id' }).issuer).toBe(
      'https://cognito-idp.us-gov-west-1.amazonaws.com/us-gov-west-1_Abc',
    )
  })

  it('accepts a user access token (no aud) with groups as roles and scope as scopes', async () => {
    const result = await present(accessPreset(), await issuers.cognito.sign(p.cognitoAccessToken()))
    expect(result.status).toBe(200)
    expect(result.principal).toMatchObject({
      id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      roles: ['admin', 'editors'],
      scopes: ['openid', 'email', 'orders/read'],
    })
    expect(result.principal.tenantId).toBeUndefined()
  })

  it('accepts a machine-to-machine access token, whose sub is the app client', async () => {
    const result = await present(accessPreset(), await issuers.cognito.sign(p.cognitoM2mToken()))
    expect(result.status).toBe(200)
    expect(result.principal).toMatchObject({
      id: p.COGNITO_CLIENT,
      roles: [],
      scopes: ['orders/read', 'orders/write'],
    })
  })

  it('accepts an ID token where tokenUse is id', async () => {
    const result = await present(idPreset(), await issuers.cognito.sign(p.cognitoIdToken()))
    expect(result.status).toBe(200)
    expect(result.principal).toMatchObject({ roles: ['admin'], scopes: [] })
  })

  it('accepts every app client of the pool with clientId: null', async () => {
    const preset = accessPreset({ clientId: null })
    const token = await issuers.cognito.sign(p.cognitoAccessToken({ client_id: 'another-app-client' }))
    expect((await present(preset, token)).status).toBe(200)
  })

  it('confused deputy: refuses an ID token where access tokens are configured', async () => {
    const result = await present(accessPreset(), await issuers.cognito.sign(p.cognitoIdToken()))
    expect(result).toMatchObject({ status: 401, reason: 'token-use-mismatch' })
  })

  it('confused deputy: refuses an access token where ID tokens are configured', async () => {
    const result = await present(idPreset(), await issuers.cognito.sign(p.cognitoAccessToken()))
    expect(result).toMatchObject({ status: 401, reason: 'token-use-mismatch' })
  })

  it("confused deputy: refuses another app client's access token", async () => {
    const token = await issuers.cognito.sign(p.cognitoAccessToken({ client_id: 'another-app-client' }))
    expect(await present(accessPreset(), token)).toMatchObject({ status: 401, reason: 'client-id-mismatch' })
  })

  it("confused deputy: refuses another app client's ID token", async () => {
    const token = await issuers.cognito.sign(p.cognitoIdToken({ aud: 'another-app-client' }))
    expect(await present(idPreset(), token)).toMatchObject({ status: 401, reason: 'client-id-mismatch' })
  })

  it('confused deputy: refuses an access token that names its client in aud, not client_id', async () => {
    const token = await issuers.cognito.sign(
      p.cognitoAccessToken({ client_id: undefined, aud: p.COGNITO_CLIENT }),
    )
    expect(await present(accessPreset(), token)).toMatchObject({ status: 401, reason: 'client-id-mismatch' })
  })

  it("refuses another user pool's token", async () => {
    const token = await issuers.cognito.sign(
      p.cognitoAccessToken({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other999' }),
    )
    expect(await present(accessPreset(), token)).toMatchObject({ status: 401, reason: 'issuer-not-allowed' })
  })

  it('the old README mistake (audience = app client id) is refused for access tokens, and the preset refuses ID tokens', async () => {
    const naive: IssuerOptions = {
      issuer: p.COGNITO_ISS,
      audience: p.COGNITO_CLIENT,
      algorithms: ['RS256'],
      jwksUri: issuers.cognito.jwksUri,
    }
    expect((await present(naive, await issuers.cognito.sign(p.cognitoIdToken()))).status).toBe(200)
    expect(await present(naive, await issuers.cognito.sign(p.cognitoAccessToken()))).toMatchObject({
      status: 401,
      reason: 'audience-mismatch',
    })
    expect((await present(accessPreset(), await issuers.cognito.sign(p.cognitoIdToken()))).status).toBe(401)
  })
})

describe('entra()', () => {
  const preset = (extra = {}) =>
    entra({ tenantId: p.ENTRA_TENANT, audience: p.ENTRA_API, jwksUri: issuers.entra.jwksUri, ...extra })

  it('fills the v2.0 and v1.0 issuers, JWKS URLs and rules of the tenant', () => {
    expect(entra({ tenantId: p.ENTRA_TENANT.toUpperCase(), audience: p.ENTRA_API })).toEqual({
      issuer: p.entraIss(p.ENTRA_TENANT),
      algorithms: ['RS256'],
      jwksUri: `https://login.microsoftonline.com/${p.ENTRA_TENANT}/discovery/v2.0/keys`,
      audience: p.ENTRA_API,
      claims: { tid: p.ENTRA_TENANT, ver: '2.0' },
      tenantId: p.ENTRA_TENANT,
      roles: { claim: 'roles' },
      scopes: { claim: 'scp' },
    })
    expect(entra({ tenantId: p.ENTRA_TENANT, audience: 'api://x', version: '1.0' })).toMatchObject({
      issuer: `https://sts.windows.net/${p.ENTRA_TENANT}/`,
      jwksUri: `https://login.microsoftonline.com/${p.ENTRA_TENANT}/discovery/keys`,
      claims: { tid: p.ENTRA_TENANT, ver: '1.0' },
    })
  })

  it('accepts a v2.0 delegated token: scp as scopes, tid as tenant', async () => {
    const result = await present(preset(), await issuers.entra.sign(p.entraV2Token()))
    expect(result.status).toBe(200)
    expect(result.principal).toMatchObject({
      id: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
      tenantId: p.ENTRA_TENANT,
      roles: [],
      scopes: ['access_as_user', 'Orders.Read'],
    })
  })

  it('accepts a v2.0 app-only token: app roles as roles', async () => {
    const result = await present(preset(), await issuers.entra.sign(p.entraAppToken()))
    expect(result.status).toBe(200)
    expect(result.principal).toMatchObject({
      tenantId: p.ENTRA_TENANT,
      roles: ['Orders.ReadWrite.All'],
      scopes: [],
    })
  })

  it('accepts a v1.0 token where version 1.0 is configured', async () => {
    const v1Issuer = await createTestIssuer({ issuer: `https://sts.windows.net/${p.ENTRA_TENANT}/` })
    try {
      const v1 = entra({
        tenantId: p.ENTRA_TENANT,
        audience: `api://${p.ENTRA_API}`,
        version: '1.0',
        jwksUri: v1Issuer.jwksUri,
      })
      const result = await present(v1, await v1Issuer.sign(p.entraV1Token()))
      expect(result.status).toBe(200)
      expect(result.principal).toMatchObject({ tenantId: p.ENTRA_TENANT, scopes: ['access_as_user'] })
    } finally {
      await v1Issuer.close()
    }
  })

  it('a generic v1.0 issuer with clientId: accepts the client named in appid, refuses another', async () => {
    const v1Issuer = await createTestIssuer({ issuer: `https://sts.windows.net/${p.ENTRA_TENANT}/` })
    try {
      const v1: IssuerOptions = {
        issuer: v1Issuer.issuer,
        audience: `api://${p.ENTRA_API}`,
        clientId: p.ENTRA_CLIENT,
        algorithms: ['RS256'],
        jwksUri: v1Issuer.jwksUri,
      }
      expect((await present(v1, await v1Issuer.sign(p.entraV1Token()))).status).toBe(200)
      const other = await v1Issuer.sign(p.entraV1Token({ appid: '0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5' }))
      expect(await present(v1, other)).toMatchObject({ status: 401, reason: 'client-id-mismatch' })
    } finally {
      await v1Issuer.close()
    }
  })

  it("confused deputy: refuses another tenant's token signed with the same (shared) keys", async () => {
    const token = await issuers.entra.sign(
      p.entraV2Token({ iss: p.entraIss(p.ENTRA_OTHER_TENANT), tid: p.ENTRA_OTHER_TENANT }),
    )
    expect(await present(preset(), token)).toMatchObject({ status: 401, reason: 'issuer-not-allowed' })
  })

  it('confused deputy: refuses a token whose tid is not the configured tenant', async () => {
    const token = await issuers.entra.sign(p.entraV2Token({ tid: p.ENTRA_OTHER_TENANT }))
    expect(await present(preset(), token)).toMatchObject({ status: 401, reason: 'claim-mismatch:tid' })
  })

  it('confused deputy: refuses a v1.0 token where v2.0 is configured', async () => {
    const v1 = await issuers.entra.sign(p.entraV1Token())
    expect(await present(preset(), v1)).toMatchObject({ status: 401, reason: 'issuer-not-allowed' })
    const v1Shaped = await issuers.entra.sign(
      p.entraV1Token({ iss: p.entraIss(p.ENTRA_TENANT), aud: p.ENTRA_API }),
    )
    expect(await present(preset(), v1Shaped)).toMatchObject({ status: 401, reason: 'claim-mismatch:ver' })
  })

  it('confused deputy: refuses a token issued for another API (or an ID token for the client app)', async () => {
    const token = await issuers.entra.sign(p.entraV2Token({ aud: p.ENTRA_CLIENT }))
    expect(await present(preset(), token)).toMatchObject({ status: 401, reason: 'audience-mismatch' })
  })
})

describe('auth0()', () => {
  const preset = (extra = {}) =>
    auth0({ domain: p.AUTH0_DOMAIN, audience: p.AUTH0_API, jwksUri: issuers.auth0.jwksUri, ...extra })

  it('fills the issuer (with its trailing slash), the JWKS URL and the audience', () => {
    expect(auth0({ domain: 'Example.EU.auth0.com', audience: p.AUTH0_API, clientId: 'c1' })).toEqual({
      issuer: p.AUTH0_ISS,
      algorithms: ['RS256'],
      jwksUri: `https://${p.AUTH0_DOMAIN}/.well-known/jwks.json`,
      audience: p.AUTH0_API,
      clientId: 'c1',
      scopes: { claim: ['permissions', 'scope'] },
    })
  })

  it('accepts an access token with an aud array: permissions as scopes', async () => {
    const result = await present(
      preset({ clientId: p.AUTH0_CLIENT }),
      await issuers.auth0.sign(p.auth0AccessToken()),
    )
    expect(result.status).toBe(200)
    expect(result.principal).toMatchObject({
      id: 'auth0|5f7c8ec7c33c6c004bbafe82',
      roles: [],
      scopes: ['read:orders', 'write:orders'],
    })
  })

  it('uses scope where the API adds no permissions, and a custom roles claim when named', async () => {
    const token = await issuers.auth0.sign(
      p.auth0AccessToken({ permissions: undefined, 'https://example.com/roles': ['admin'] }),
    )
    const result = await present(preset({ roles: { claim: 'https://example.com/roles' } }), token)
    expect(result.principal).toMatchObject({
      roles: ['admin'],
      scopes: ['openid', 'profile', 'email', 'read:orders'],
    })
  })

  it('confused deputy: refuses an ID token (its aud is the application, not the API)', async () => {
    const result = await present(preset(), await issuers.auth0.sign(p.auth0IdToken()))
    expect(result).toMatchObject({ status: 401, reason: 'audience-mismatch' })
  })

  it("confused deputy: refuses another application's token where clientId is set", async () => {
    const token = await issuers.auth0.sign(p.auth0AccessToken({ azp: 'another-application' }))
    const result = await present(preset({ clientId: p.AUTH0_CLIENT }), token)
    expect(result).toMatchObject({ status: 401, reason: 'client-id-mismatch' })
  })

  it("refuses another Auth0 tenant's token", async () => {
    const token = await issuers.auth0.sign(p.auth0AccessToken({ iss: 'https://attacker.eu.auth0.com/' }))
    expect(await present(preset(), token)).toMatchObject({ status: 401, reason: 'issuer-not-allowed' })
  })
})

describe('okta()', () => {
  const preset = (extra = {}) =>
    okta({ domain: p.OKTA_DOMAIN, audience: 'api://default', jwksUri: issuers.okta.jwksUri, ...extra })

  it('fills the issuer of the authorization server (default: default) and its keys URL', () => {
    expect(okta({ domain: p.OKTA_DOMAIN, audience: 'api://default', clientId: p.OKTA_CLIENT })).toEqual({
      issuer: p.OKTA_ISS,
      algorithms: ['RS256'],
      jwksUri: `${p.OKTA_ISS}/v1/keys`,
      audience: 'api://default',
      claims: { cid: [p.OKTA_CLIENT] },
      scopes: { claim: 'scp' },
    })
    expect(
      okta({ domain: p.OKTA_DOMAIN, authorizationServerId: 'aus1abc', audience: 'api://orders' }).issuer,
    ).toBe(`https://${p.OKTA_DOMAIN}/oauth2/aus1abc`)
  })

  it('accepts an access token: scp array as scopes, a groups claim as roles when named', async () => {
    const result = await present(
      preset({ clientId: p.OKTA_CLIENT, roles: { claim: 'groups' } }),
      await issuers.okta.sign(p.oktaAccessToken()),
    )
    expect(result.status).toBe(200)
    expect(result.principal).toMatchObject({
      id: 'john.doe@example.com',
      roles: ['Everyone', 'Admins'],
      scopes: ['openid', 'email', 'orders:read'],
    })
  })

  it("confused deputy: refuses another application's token (cid)", async () => {
    const token = await issuers.okta.sign(p.oktaAccessToken({ cid: '0oaAnotherApp' }))
    expect(await present(preset({ clientId: p.OKTA_CLIENT }), token)).toMatchObject({
      status: 401,
      reason: 'claim-mismatch:cid',
    })
  })

  it('confused deputy: refuses an ID token of the same authorization server', async () => {
    const result = await present(preset(), await issuers.okta.sign(p.oktaIdToken()))
    expect(result).toMatchObject({ status: 401, reason: 'audience-mismatch' })
  })

  it("refuses another authorization server's token", async () => {
    const token = await issuers.okta.sign(
      p.oktaAccessToken({ iss: `https://${p.OKTA_DOMAIN}/oauth2/aus9other` }),
    )
    expect(await present(preset(), token)).toMatchObject({ status: 401, reason: 'issuer-not-allowed' })
  })
})

describe('google()', () => {
  const preset = (extra = {}) =>
    google({ clientId: p.GOOGLE_CLIENT, jwksUri: issuers.google.jwksUri, ...extra })

  it('fills both issuer spellings, the certs URL and the client id as audience', () => {
    expect(google({ clientId: p.GOOGLE_CLIENT, hostedDomain: 'example.com' })).toEqual({
      issuer: ['https://accounts.google.com', 'accounts.google.com'],
      algorithms: ['RS256'],
      jwksUri: 'https://www.googleapis.com/oauth2/v3/certs',
      audience: p.GOOGLE_CLIENT,
      claims: { hd: ['example.com'] },
    })
  })

  it.each(['https://accounts.google.com', 'accounts.google.com'])(
    'accepts an ID token with iss %s',
    async (iss) => {
      const result = await present(preset(), await issuers.google.sign(p.googleIdToken({ iss })))
      expect(result.status).toBe(200)
      expect(result.principal).toMatchObject({ id: '110169484474386276334', roles: [], scopes: [] })
    },
  )

  it('accepts a token minted for the server client id by an Android client (azp differs from aud)', async () => {
    const token = await issuers.google.sign(
      p.googleIdToken({ azp: '1234987819200-android.apps.googleusercontent.com' }),
    )
    expect((await present(preset(), token)).status).toBe(200)
  })

  it('confused deputy: refuses a Google ID token issued for another client', async () => {
    const token = await issuers.google.sign(
      p.googleIdToken({ aud: 'other.apps.googleusercontent.com', azp: 'other.apps.googleusercontent.com' }),
    )
    expect(await present(preset(), token)).toMatchObject({ status: 401, reason: 'audience-mismatch' })
  })

  it('refuses an account of another Workspace domain where hostedDomain is set', async () => {
    const token = await issuers.google.sign(p.googleIdToken({ hd: 'attacker.example' }))
    expect(await present(preset({ hostedDomain: 'example.com' }), token)).toMatchObject({
      status: 401,
      reason: 'claim-mismatch:hd',
    })
    const consumer = await issuers.google.sign(p.googleIdToken({ hd: undefined }))
    expect((await present(preset({ hostedDomain: 'example.com' }), consumer)).status).toBe(401)
  })
})

describe('one stack, several providers: per-issuer roles and scopes', () => {
  const stack = () => [
    auth0({ domain: p.AUTH0_DOMAIN, audience: p.AUTH0_API, jwksUri: issuers.auth0.jwksUri }),
    entra({ tenantId: p.ENTRA_TENANT, audience: p.ENTRA_API, jwksUri: issuers.entra.jwksUri }),
    cognito({
      userPoolId: p.COGNITO_POOL,
      clientId: p.COGNITO_CLIENT,
      tokenUse: 'access',
      jwksUri: issuers.cognito.jwksUri,
    }),
  ]

  it('takes Auth0 permissions, Entra scp and Cognito scope (and groups) in one jwtAuth', async () => {
    const handler = app(
      jwtAuth({ issuers: stack(), roles: { claim: 'never-used' }, scopes: { claim: 'never-used' } }),
    )
    const principalFor = async (token: string) => JSON.parse((await call(handler, bearer(token))).body)

    expect(await principalFor(await issuers.auth0.sign(p.auth0AccessToken()))).toMatchObject({
      scopes: ['read:orders', 'write:orders'],
      roles: [],
    })
    expect(await principalFor(await issuers.entra.sign(p.entraV2Token()))).toMatchObject({
      scopes: ['access_as_user', 'Orders.Read'],
      tenantId: p.ENTRA_TENANT,
    })
    expect(await principalFor(await issuers.cognito.sign(p.cognitoAccessToken()))).toMatchObject({
      scopes: ['openid', 'email', 'orders/read'],
      roles: ['admin', 'editors'],
    })
  })

  it("an issuer without its own roles uses jwtAuth's", async () => {
    const handler = app(
      jwtAuth({
        issuers: [
          okta({
            domain: p.OKTA_DOMAIN,
            audience: 'api://default',
            jwksUri: issuers.okta.jwksUri,
            scopes: undefined,
          }),
        ],
        roles: { claim: 'groups' },
      }),
    )
    const body = JSON.parse((await call(handler, bearer(await issuers.okta.sign(p.oktaAccessToken())))).body)
    expect(body).toMatchObject({ roles: ['Everyone', 'Admins'], scopes: ['openid', 'email', 'orders:read'] })
  })
})
