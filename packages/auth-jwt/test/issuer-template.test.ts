// The Entra ID multi-tenant issuer template: `iss` names the tenant, and `tid` must name the same one.
import { describe, expect, it } from '@jest/globals'
import { entra, jwtAuth } from '../src/index'
import { claims, NOW, NOW_MS, signJwt } from './support/fixtures'
import { testKeys } from './support/keys'
import { app, bearer, call, securityEventLog } from './support/run'

const log = securityEventLog()

const TEMPLATE = 'https://login.microsoftonline.com/{tenantid}/v2.0'
const CONTOSO = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a'
const FABRIKAM = '72f988bf-86f1-41af-91ab-2d7cd011db47'

const entraAuth = (issuer = TEMPLATE) =>
  app(
    jwtAuth({
      issuers: [
        { issuer, audience: 'api://orders', algorithms: ['RS256'], publicKey: testKeys().rsa.publicKey },
      ],
      now: () => NOW_MS,
    }),
  )
/** An Entra v2 access token's layout: `iss` with the tenant, `tid`, `ver`, `scp`, `roles`, `oid`. */
const entraToken = (tenant: string, extra: Record<string, unknown> = {}) =>
  signJwt(
    claims({
      iss: `https://login.microsoftonline.com/${tenant}/v2.0`,
      aud: 'api://orders',
      tid: tenant,
      ver: '2.0',
      oid: 'b2f0d3a4-0000-4000-8000-000000000001',
      scp: 'orders.read',
      nbf: NOW - 10,
      ...extra,
    }),
  )

describe('issuer template {tenantid}', () => {
  it('accepts tokens of any tenant whose tid is the tenant in iss', async () => {
    const handler = entraAuth()
    for (const tenant of [CONTOSO, FABRIKAM]) {
      const response = await call(handler, bearer(await entraToken(tenant)))
      expect(response.statusCode).toBe(200)
      expect(JSON.parse(response.body)).toMatchObject({ scopes: ['orders.read'] })
    }
  })

  it('attack: a token whose iss names another tenant than its tid is refused', async () => {
    const response = await call(entraAuth(), bearer(await entraToken(CONTOSO, { tid: FABRIKAM })))
    expect(response.statusCode).toBe(401)
    expect(log.reasons()).toEqual(['issuer-tenant-mismatch'])
  })

  it('attack: a token without tid is refused', async () => {
    const response = await call(entraAuth(), bearer(await entraToken(CONTOSO, { tid: undefined })))
    expect(response.statusCode).toBe(401)
    expect(log.reasons()).toEqual(['issuer-tenant-mismatch'])
  })

  it.each([
    ['the template itself as iss', TEMPLATE],
    ['an extra path segment', `https://login.microsoftonline.com/${CONTOSO}/x/v2.0`],
    ['a v1 issuer (sts.windows.net)', `https://sts.windows.net/${CONTOSO}/`],
    ['another host', `https://login.microsoftonline.com.evil.example/${CONTOSO}/v2.0`],
    ['a trailing slash', `https://login.microsoftonline.com/${CONTOSO}/v2.0/`],
    ['a tenant segment with a dot', 'https://login.microsoftonline.com/a.b/v2.0'],
  ])('attack: refuses %s before any key lookup', async (_name, iss) => {
    const response = await call(entraAuth(), bearer(await entraToken(CONTOSO, { iss })))
    expect(response.statusCode).toBe(401)
    expect(log.reasons()).toEqual(['issuer-not-allowed'])
  })

  it('an exact issuer listed next to the template is looked up first', async () => {
    const exact = `https://login.microsoftonline.com/${CONTOSO}/v2.0`
    const handler = app(
      jwtAuth({
        issuers: [
          {
            issuer: exact,
            audience: 'api://contoso-only',
            algorithms: ['RS256'],
            publicKey: testKeys().rsa.publicKey,
          },
          {
            issuer: TEMPLATE,
            audience: 'api://orders',
            algorithms: ['RS256'],
            publicKey: testKeys().rsa.publicKey,
          },
        ],
        now: () => NOW_MS,
      }),
    )
    // The exact entry wants another audience: the template does not catch the Contoso token.
    expect((await call(handler, bearer(await entraToken(CONTOSO)))).statusCode).toBe(401)
    expect((await call(handler, bearer(await entraToken(FABRIKAM)))).statusCode).toBe(200)
  })

  it.each([
    ['two placeholders', 'https://login.microsoftonline.com/{tenantid}/{tenantid}'],
    ['another placeholder', 'https://login.microsoftonline.com/{tenant}/v2.0'],
    ['a placeholder inside a segment', 'https://login.microsoftonline.com/t-{tenantid}/v2.0'],
    ['a placeholder in the host', 'https://{tenantid}.example/'],
    ['a plain-http template', 'http://login.example/{tenantid}/v2.0'],
    ['a stray brace', 'https://login.microsoftonline.com/{tenantid}/v2.0}'],
  ])('refuses %s at construction', (_name, issuer) => {
    expect(() => entraAuth(issuer)).toThrow(/placeholder|path segment/)
  })

  it('refuses a template among several spellings', () => {
    expect(() =>
      jwtAuth({
        issuers: [
          {
            issuer: [TEMPLATE, 'https://login.microsoftonline.com/common/v2.0'],
            audience: 'a',
            algorithms: ['RS256'],
            publicKey: testKeys().rsa.publicKey,
          },
        ],
      }),
    ).toThrow(/only spelling/)
  })

  describe("entra({ tenantId: 'common' | 'organizations' | 'consumers' })", () => {
    const multi = (tenantId: string, version?: '1.0' | '2.0') =>
      entra({
        tenantId,
        audience: 'api://orders',
        publicKey: testKeys().rsa.publicKey,
        ...(version ? { version } : {}),
      })

    it('gives the {tenantid} template, the endpoint keys and no fixed tenant', () => {
      expect(entra({ tenantId: 'Organizations', audience: 'a' })).toMatchObject({
        issuer: TEMPLATE,
        jwksUri: 'https://login.microsoftonline.com/organizations/discovery/v2.0/keys',
        claims: { ver: '2.0' },
      })
      expect(entra({ tenantId: 'common', audience: 'a' }).tenantId).toBeUndefined()
      expect(entra({ tenantId: 'common', audience: 'a', version: '1.0' })).toMatchObject({
        issuer: 'https://sts.windows.net/{tenantid}/',
        jwksUri: 'https://login.microsoftonline.com/common/discovery/keys',
      })
    })

    it('accepts any tenant whose tid matches its iss, and maps the tenant from tid when asked', async () => {
      const handler = app(
        jwtAuth({ issuers: [multi('organizations')], tenant: { claim: 'tid' }, now: () => NOW_MS }),
      )
      for (const tenant of [CONTOSO, FABRIKAM]) {
        const response = await call(handler, bearer(await entraToken(tenant)))
        expect(JSON.parse(response.body)).toMatchObject({ tenantId: tenant })
      }
    })

    it("attack: another tenant's iss with a forged tid, and a v1 token where v2 is configured, are refused", async () => {
      const handler = app(jwtAuth({ issuers: [multi('common')], now: () => NOW_MS }))
      expect((await call(handler, bearer(await entraToken(CONTOSO, { tid: FABRIKAM })))).statusCode).toBe(401)
      const v1 = await entraToken(CONTOSO, { iss: `https://sts.windows.net/${CONTOSO}/`, ver: '1.0' })
      expect((await call(handler, bearer(v1))).statusCode).toBe(401)
      expect(log.reasons()).toEqual(['issuer-tenant-mismatch', 'issuer-not-allowed'])
    })
  })
})
