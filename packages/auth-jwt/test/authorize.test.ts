import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { SecurityEvent } from '@lift/security-core'
import type { AuthorizeOptions } from '../src/authorize'
import { authorize, jwtAuth, requestTenantId } from '../src/index'
import { claims, NOW_MS, rsaIssuer, signJwt } from './support/fixtures'
import { app, bearer, call, callEvent, captureEvents, eventWithoutRequestId } from './support/run'

let capture: ReturnType<typeof captureEvents>
let events: SecurityEvent[]
beforeEach(() => {
  capture = captureEvents()
  events = capture.events
})
afterEach(() => capture.stop())

const guarded = (options: AuthorizeOptions) =>
  app(
    jwtAuth({ issuers: [rsaIssuer()], tenant: { claim: 'tid' }, now: () => NOW_MS }),
    authorize({ ...options, now: () => NOW_MS }),
  )

const tokenWith = (extra: Record<string, unknown>) => signJwt(claims(extra))

async function decide(options: AuthorizeOptions, extra: Record<string, unknown>, init = {}) {
  events.length = 0
  const response = await call(guarded(options), bearer(await tokenWith(extra), init))
  return {
    status: response.statusCode,
    headers: response.headers,
    reason: events.find((e) => e.type === 'authz')?.reason,
  }
}

describe('authorize', () => {
  it('roles anyOf / allOf', async () => {
    expect((await decide({ roles: { anyOf: ['admin', 'ops'] } }, { roles: ['ops'] })).status).toBe(200)
    expect(await decide({ roles: { anyOf: ['admin'] } }, { roles: ['ops'] })).toMatchObject({
      status: 403,
      reason: 'role-missing',
    })
    expect((await decide({ roles: { allOf: ['a', 'b'] } }, { roles: ['b', 'a', 'c'] })).status).toBe(200)
    expect((await decide({ roles: { allOf: ['a', 'b'] } }, { roles: ['a'] })).status).toBe(403)
    expect((await decide({ roles: { allOf: ['a'], anyOf: ['x', 'y'] } }, { roles: ['a'] })).status).toBe(403)
  })

  it('scopes anyOf / allOf, with the RFC 6750 insufficient_scope challenge', async () => {
    expect((await decide({ scopes: { allOf: ['read', 'write'] } }, { scope: 'write read' })).status).toBe(200)
    const denied = await decide({ scopes: { anyOf: ['admin:all'] } }, { scope: 'read' })
    expect(denied).toMatchObject({ status: 403, reason: 'scope-missing' })
    expect(denied.headers['WWW-Authenticate']).toBe('Bearer error="insufficient_scope"')
  })

  it("tenant 'match-request': the request must name the principal's tenant", async () => {
    const options: AuthorizeOptions = { tenant: 'match-request' }
    expect((await decide(options, { tid: 'acme' }, { pathParameters: { tenantId: 'acme' } })).status).toBe(
      200,
    )
    expect((await decide(options, { tid: 'acme' }, { headers: { 'x-tenant-id': 'acme' } })).status).toBe(200)
    expect(await decide(options, { tid: 'acme' }, { pathParameters: { tenantId: 'globex' } })).toMatchObject({
      status: 403,
      reason: 'tenant-mismatch',
    })
    expect(await decide(options, { tid: 'acme' })).toMatchObject({ status: 403, reason: 'tenant-not-named' })
    expect(await decide(options, {}, { pathParameters: { tenantId: 'acme' } })).toMatchObject({
      status: 403,
      reason: 'tenant-not-named',
    })
    const custom: AuthorizeOptions = {
      tenant: 'match-request',
      requestTenant: (view) => view.host?.split('.')[0],
    }
    expect((await decide(custom, { tid: 'acme' }, { host: 'acme.example.com' })).status).toBe(200)
    expect((await decide(custom, { tid: 'acme' }, { host: 'globex.example.com' })).status).toBe(403)
  })

  it('check: only true allows; it sees the principal, the view and the request', async () => {
    const allowed = await decide(
      { check: (principal, view) => principal.id === 'user-1' && view.method === 'GET' },
      {},
    )
    expect(allowed.status).toBe(200)
    expect(await decide({ check: async () => false }, {})).toMatchObject({
      status: 403,
      reason: 'check-failed',
    })
    expect((await decide({ check: () => 'yes' as unknown as boolean }, {})).status).toBe(403)
  })

  it('401 without a principal (authorize without jwtAuth, or an anonymous request)', async () => {
    const response = await call(app(authorize({ roles: { anyOf: ['admin'] } })), {})
    expect(response.statusCode).toBe(401)
    expect(response.headers['WWW-Authenticate']).toBe('Bearer')
    expect(events).toEqual([
      expect.objectContaining({ type: 'authz', outcome: 'deny', reason: 'unauthenticated' }),
    ])
    const anonymous = app(jwtAuth({ issuers: [rsaIssuer()], credentialsOptional: true }), authorize())
    expect((await call(anonymous, {})).statusCode).toBe(401)
  })

  it('publishes allow events with the principal and tenant; an empty authorize() admits any principal', async () => {
    const result = await decide({}, { tid: 'acme' }, { requestId: 'r-9' })
    expect(result.status).toBe(200)
    expect(events.find((e) => e.type === 'authz')).toEqual({
      type: 'authz',
      outcome: 'allow',
      reason: 'authorized',
      requestId: 'r-9',
      principalId: 'user-1',
      tenantId: 'acme',
      at: NOW_MS,
    })
  })

  it('leaves requestId out of its event when the request has none', async () => {
    await callEvent(app(authorize()), eventWithoutRequestId())
    expect(events).toEqual([expect.objectContaining({ type: 'authz', reason: 'unauthenticated' })])
    expect(events[0]).not.toHaveProperty('requestId')
  })

  it('decides the same with nobody subscribed to lift:security', async () => {
    capture.stop()
    expect((await call(guarded({ roles: { anyOf: ['x'] } }), bearer(await signJwt()))).statusCode).toBe(403)
    expect((await call(guarded({}), bearer(await signJwt()))).statusCode).toBe(200)
    expect(events).toEqual([])
  })

  it('uses the realm in its challenges', async () => {
    const handler = app(
      jwtAuth({ issuers: [rsaIssuer()], now: () => NOW_MS }),
      authorize({ roles: { anyOf: ['x'] }, realm: 'api' }),
    )
    const response = await call(handler, bearer(await signJwt()))
    expect(response.headers['WWW-Authenticate']).toBe('Bearer realm="api", error="insufficient_scope"')
  })

  it('validates its options at construction', () => {
    expect(() => authorize(null as never)).toThrow(/options must be an object/)
    expect(() => authorize({ roles: {} })).toThrow(/roles/)
    expect(() => authorize({ roles: { anyOf: [] } })).toThrow(/roles/)
    expect(() => authorize({ scopes: { allOf: [''] } })).toThrow(/scopes/)
    expect(() => authorize({ scopes: { allOf: 'read' as never } })).toThrow(/scopes/)
    expect(() => authorize({ tenant: 'any' as never })).toThrow(/match-request/)
    expect(() => authorize({ check: true as never })).toThrow(/check/)
    expect(() => authorize({ requestTenant: 'x' as never })).toThrow(/requestTenant/)
  })

  it('refuses a realm that would break the WWW-Authenticate header, as jwtAuth does', () => {
    for (const realm of ['a"b', 'a\\b', 'api\r\nSet-Cookie: x=1', 42])
      expect(() => authorize({ realm: realm as never })).toThrow(/realm/)
  })

  it('requestTenantId reads the tenantId path parameter first, then x-tenant-id', () => {
    const view = (pathParameters: Record<string, string>, header?: string) =>
      ({ pathParameters, header: () => header }) as unknown as Parameters<typeof requestTenantId>[0]
    expect(requestTenantId(view({ tenantId: 'a' }, 'b'))).toBe('a')
    expect(requestTenantId(view({}, 'b'))).toBe('b')
    expect(requestTenantId(view({}))).toBeUndefined()
  })
})
