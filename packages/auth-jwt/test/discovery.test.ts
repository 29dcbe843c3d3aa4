// OIDC discovery against real HTTP servers on 127.0.0.1: the test issuer's own discovery document, and
// servers that answer with the documents an attacker (or a broken proxy) would.
import type { ServerResponse } from 'node:http'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { type AsymmetricTestIssuer, createTestIssuer } from '@lift/testing'
import { discoveryUrl } from '../src/discovery'
import { jwtAuth } from '../src/index'
import type { JwtAuthOptions } from '../src/options'
import { clock, NOW_MS } from './support/fixtures'
import { app, bearer, call, securityEventLog } from './support/run'
import { type LocalServer, sendJson, startServer } from './support/servers'

const log = securityEventLog()

const DISCOVERY = '/.well-known/openid-configuration'
let issuer: AsymmetricTestIssuer
const servers: LocalServer[] = []

beforeAll(async () => {
  issuer = await createTestIssuer({ alg: 'RS256', audience: 'api', now: () => NOW_MS })
})
afterAll(async () => {
  await issuer.close()
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** A server at `base` whose discovery document is `document(base)`, and whose /jwks is the test issuer's. */
async function discoveryServer(
  document: (base: string) => unknown,
  answer?: (response: ServerResponse, base: string) => void,
): Promise<LocalServer> {
  let base = ''
  const server = await startServer((request, response) => {
    if (request.url === DISCOVERY) {
      if (answer) answer(response, base)
      else sendJson(response, document(base))
    } else if (request.url === '/jwks') sendJson(response, issuer.jwks)
    else sendJson(response, { error: 'not_found' }, 404)
  })
  base = server.base
  servers.push(server)
  return server
}

const discoveryAuth = (iss: string, options: Partial<JwtAuthOptions> = {}) =>
  app(
    jwtAuth({
      issuers: [{ issuer: iss, audience: 'api', algorithms: ['RS256'], discovery: true }],
      now: () => NOW_MS,
      ...options,
    }),
  )
const tokenFor = (iss: string, sub = 'u') => issuer.sign({ iss, sub })

async function expectUnavailable(server: LocalServer, options: Partial<JwtAuthOptions> = {}) {
  const response = await call(discoveryAuth(server.base, options), bearer(await tokenFor(server.base)))
  expect(response.statusCode).toBe(503)
  expect(response.body).not.toMatch(/127\.0\.0\.1|discovery|jwks/i)
  expect(log.events().at(-1)).toMatchObject({ outcome: 'deny', reason: 'key-source-unavailable' })
}

describe('issuers with discovery: true', () => {
  it('reads jwks_uri from the test issuer’s discovery document and verifies', async () => {
    const handler = discoveryAuth(issuer.issuer)
    const response = await call(handler, bearer(await issuer.sign({ sub: 'alice' })))
    expect(response.statusCode).toBe(200)
    expect(JSON.parse(response.body)).toMatchObject({ id: 'alice' })
  })

  it('builds the document URL with one slash whether or not the issuer ends in one', () => {
    expect(discoveryUrl('https://tenant.auth0.com/')).toBe(`https://tenant.auth0.com${DISCOVERY}`)
    expect(discoveryUrl('https://login.example/tenant/v2.0')).toBe(
      `https://login.example/tenant/v2.0${DISCOVERY}`,
    )
  })

  it('fetches the document once, for concurrent first requests and for later ones', async () => {
    const server = await discoveryServer((base) => ({ issuer: base, jwks_uri: `${base}/jwks` }))
    const handler = discoveryAuth(server.base, { cache: false })
    const tokens = await Promise.all(Array.from({ length: 10 }, (_, i) => tokenFor(server.base, `u${i}`)))
    const first = await Promise.all(tokens.map((token) => call(handler, bearer(token))))
    expect(first.map((response) => response.statusCode)).toEqual(Array(10).fill(200))
    for (const token of tokens) expect((await call(handler, bearer(token))).statusCode).toBe(200)
    expect(server.requests(DISCOVERY)).toBe(1)
    expect(server.requests('/jwks')).toBe(1)
  })

  it('fetches nothing before the first token', async () => {
    const server = await discoveryServer((base) => ({ issuer: base, jwks_uri: `${base}/jwks` }))
    discoveryAuth(server.base)
    expect(server.requests()).toBe(0)
  })

  it('attack: a document naming another issuer is refused (503), its jwks_uri never fetched', async () => {
    const server = await discoveryServer((base) => ({ issuer: `${base}/other`, jwks_uri: `${base}/jwks` }))
    await expectUnavailable(server)
    expect(server.requests('/jwks')).toBe(0)
  })

  it('attack: an issuer differing only by a trailing slash is another issuer', async () => {
    const server = await discoveryServer((base) => ({ issuer: `${base}/`, jwks_uri: `${base}/jwks` }))
    await expectUnavailable(server)
  })

  it('attack: a plain-http jwks_uri on a non-loopback host is refused, never fetched', async () => {
    const server = await discoveryServer((base) => ({
      issuer: base,
      jwks_uri: 'http://keys.attacker.example/jwks',
    }))
    await expectUnavailable(server)
  })

  it.each([
    ['no jwks_uri', (base: string) => ({ issuer: base })],
    ['a jwks_uri that is no URL', (base: string) => ({ issuer: base, jwks_uri: 'not a url' })],
    ['a jwks_uri that is no string', (base: string) => ({ issuer: base, jwks_uri: ['x'] })],
    ['a document that is JSON null', () => null],
  ])('refuses a document with %s', async (_name, document) => {
    await expectUnavailable(await discoveryServer(document))
  })

  it('attack: an oversized document is refused while streaming', async () => {
    const server = await discoveryServer(
      () => undefined,
      (response, base) => {
        response.writeHead(200, { 'content-type': 'application/json' })
        response.write(`{"issuer":"${base}","jwks_uri":"${base}/jwks","padding":"`)
        response.end(`${'x'.repeat(70_000)}"}`)
      },
    )
    await expectUnavailable(server)
    expect(server.requests('/jwks')).toBe(0)
  })

  it('attack: a slow document is given up after jwks.timeoutMs', async () => {
    const server = await discoveryServer(
      () => undefined,
      () => {},
    )
    await expectUnavailable(server, { jwks: { timeoutMs: 200 } })
  })

  it('refuses an error status and a redirect', async () => {
    await expectUnavailable(
      await discoveryServer(
        () => undefined,
        (response) => sendJson(response, {}, 500),
      ),
    )
    await expectUnavailable(
      await discoveryServer(
        () => undefined,
        (response, base) => {
          response.writeHead(302, { location: `${base}/elsewhere` }).end()
        },
      ),
    )
  })

  it('tries again after failureCooldownMs when discovery failed, then keeps the answer', async () => {
    let healthy = false
    const server = await discoveryServer(
      () => undefined,
      (response, base) =>
        healthy
          ? sendJson(response, { issuer: base, jwks_uri: `${base}/jwks` })
          : sendJson(response, {}, 503),
    )
    const time = clock()
    const handler = discoveryAuth(server.base, {
      now: time.now,
      cache: false,
      jwks: { cacheMaxAgeMs: 60_000 },
    })
    const token = await tokenFor(server.base)
    expect((await call(handler, bearer(token))).statusCode).toBe(503)
    expect((await call(handler, bearer(token))).statusCode).toBe(503)
    expect(server.requests(DISCOVERY)).toBe(1)
    healthy = true
    time.advance(1_000)
    expect((await call(handler, bearer(token))).statusCode).toBe(200)
    // The key set is refetched past its cache age; the jwks_uri is not rediscovered.
    time.advance(60_000)
    expect((await call(handler, bearer(token))).statusCode).toBe(200)
    expect(server.requests(DISCOVERY)).toBe(2)
    expect(server.requests('/jwks')).toBe(2)
  })

  it.each<[string, object, RegExp]>([
    [
      'a plain-http issuer off loopback',
      { issuer: 'http://idp.example' },
      /issuer \(with discovery\) must use https/,
    ],
    ['an issuer that is no URL', { issuer: 'accounts.google.com' }, /not a valid URL/],
    ['discovery: false as the only key source', { discovery: false }, /needs exactly one of/],
    ['discovery given as a string', { discovery: 'yes' }, /discovery must be true/],
    ['discovery and a jwksUri', { jwksUri: 'https://idp.example/jwks' }, /needs exactly one of/],
    [
      'discovery with an issuer template',
      { issuer: 'https://login.microsoftonline.com/{tenantid}/v2.0' },
      /template cannot use discovery/,
    ],
  ])('refuses %s at construction', (_name, extra, message) => {
    expect(() =>
      jwtAuth({
        issuers: [
          {
            issuer: 'https://idp.example',
            audience: 'api',
            algorithms: ['RS256'],
            discovery: true,
            ...extra,
          },
        ],
      }),
    ).toThrow(message)
  })
})
