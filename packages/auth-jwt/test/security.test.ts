// The attack suite: every known way to get a JWT library to accept what it should not, each a named test.
// JWKS-specific attacks (kid flood, slow/huge/invalid key sets, use: enc in a JWKS) live in jwks.test.ts.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import type { SecurityEvent } from '@lift/security-core'
import { jwtAuth } from '../src/index'
import type { JwtAuthOptions } from '../src/options'
import { claims, ISS, NOW, NOW_MS, rsaIssuer, signJwt } from './support/fixtures'
import { keysFor, testKeys } from './support/keys'
import { app, bearer, call, captureEvents } from './support/run'
import { b64url, craftToken } from './support/tokens'

let capture: ReturnType<typeof captureEvents>
let events: SecurityEvent[]
beforeEach(() => {
  capture = captureEvents()
  events = capture.events
})
afterEach(() => capture.stop())

const auth = (options: Partial<JwtAuthOptions> = {}) =>
  app(jwtAuth({ issuers: [rsaIssuer()], now: () => NOW_MS, ...options }))
const hsIssuer = { issuer: ISS, audience: 'api', algorithms: ['HS256' as const], secret: 's'.repeat(64) }

/** Calls with the token and returns [status, reason published]. */
async function attempt(
  token: string,
  options: Partial<JwtAuthOptions> = {},
): Promise<[number, string | undefined]> {
  events.length = 0
  const response = await call(auth(options), bearer(token))
  return [response.statusCode, events.at(-1)?.reason]
}

describe('attack: alg none', () => {
  it.each(['none', 'None', 'NONE', 'nOnE'])(
    'refuses alg "%s" with an empty signature and with any signature',
    async (alg) => {
      expect(await attempt(craftToken({ alg, typ: 'JWT' }, claims()))).toEqual([401, 'alg-none'])
      const withSignature = `${craftToken({ alg }, claims())}${b64url('sig')}`
      expect(await attempt(withSignature)).toEqual([401, 'alg-none'])
      expect(await attempt(craftToken({ alg }, claims()), { issuers: [hsIssuer] })).toEqual([401, 'alg-none'])
    },
  )

  it('refuses a missing, empty or non-string alg', async () => {
    for (const header of [{}, { alg: '' }, { alg: ['RS256'] }, { alg: 'HS257' }]) {
      expect(
        await attempt(craftToken(header, claims(), { key: keysFor('RS256').sign, signAlg: 'RS256' })),
      ).toEqual([401, 'alg-unsupported'])
    }
  })
})

describe('attack: RS/HS key confusion', () => {
  const pem = () => testKeys().rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string

  it('refuses an HS256 token signed with the issuer public key PEM as HMAC secret', async () => {
    const { createSecretKey } = await import('node:crypto')
    for (const secret of [pem(), `  \n${pem()}`, pem().trim()]) {
      const token = craftToken({ alg: 'HS256' }, claims(), { key: createSecretKey(Buffer.from(secret)) })
      expect(await attempt(token)).toEqual([401, 'alg-not-allowed'])
    }
  })

  it('refuses a PEM key (even with leading whitespace) as an HMAC secret at construction', () => {
    for (const secret of [pem(), `\n  ${pem()}`, `\t${pem()}`]) {
      expect(() => jwtAuth({ issuers: [{ ...hsIssuer, secret }] })).toThrow(/looks like a PEM key/)
    }
  })

  it('refuses an issuer mixing HMAC and public-key algorithms', () => {
    expect(() => jwtAuth({ issuers: [rsaIssuer({ algorithms: ['RS256', 'HS256'] })] })).toThrow(/mixes HMAC/)
    expect(() =>
      jwtAuth({ issuers: [{ ...hsIssuer, algorithms: ['HS256'], publicKey: pem(), secret: undefined }] }),
    ).toThrow(/HMAC algorithms need a secret/)
    expect(() => jwtAuth({ issuers: [rsaIssuer({ publicKey: undefined, secret: 's'.repeat(64) })] })).toThrow(
      /public-key algorithms need jwksUri or publicKey/,
    )
  })

  it('an HS issuer never accepts an RS token (symmetric issuer, asymmetric alg)', async () => {
    expect(await attempt(await signJwt(claims(), 'RS256'), { issuers: [hsIssuer] })).toEqual([
      401,
      'alg-not-allowed',
    ])
  })
})

describe('attack: algorithm, key type and JWK parameter mismatch', () => {
  it('refuses a token whose alg fits no configured key (ES256 token, RSA key)', async () => {
    const options = { issuers: [rsaIssuer({ algorithms: ['RS256', 'ES256'] })] }
    expect(await attempt(await signJwt(claims(), 'ES256'), options)).toEqual([401, 'key-not-found'])
  })

  it('refuses an ES384 token for an issuer whose P-256 key is listed for ES256 and ES384', async () => {
    const options = {
      issuers: [rsaIssuer({ algorithms: ['ES256', 'ES384'], publicKey: testKeys().ec256.publicKey })],
    }
    expect(await attempt(await signJwt(claims(), 'ES256'), options)).toEqual([200, 'token-verified'])
    expect(await attempt(await signJwt(claims(), 'ES384'), options)).toEqual([401, 'key-not-found'])
  })

  it('honours a JWK alg: a key marked RS256 does not verify PS256', async () => {
    const jwk = { ...testKeys().rsa.publicKey.export({ format: 'jwk' }), alg: 'RS256' }
    const options = { issuers: [rsaIssuer({ algorithms: ['RS256', 'PS256'], publicKey: jwk })] }
    expect((await attempt(await signJwt(claims(), 'RS256'), options))[0]).toBe(200)
    expect(await attempt(await signJwt(claims(), 'PS256'), options)).toEqual([401, 'key-not-found'])
  })

  it('refuses JWKs marked use: enc or without verify in key_ops, private JWKs and private keys', () => {
    const jwk = testKeys().rsa.publicKey.export({ format: 'jwk' })
    const privateJwk = testKeys().rsa.privateKey.export({ format: 'jwk' })
    const issuerWith = (publicKey: unknown) => ({ issuers: [rsaIssuer({ publicKey: publicKey as never })] })
    expect(() => jwtAuth(issuerWith({ ...jwk, use: 'enc' }))).toThrow(/"use" is "enc"/)
    expect(() => jwtAuth(issuerWith({ ...jwk, key_ops: ['encrypt'] }))).toThrow(/key_ops/)
    expect(() => jwtAuth(issuerWith({ ...jwk, key_ops: 'verify' }))).toThrow(/key_ops/)
    expect(() => jwtAuth(issuerWith(privateJwk))).toThrow(/expected a public JWK/)
    expect(() => jwtAuth(issuerWith(testKeys().rsa.privateKey))).toThrow(/got a private key/)
    expect(() =>
      jwtAuth(issuerWith(testKeys().rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }))),
    ).toThrow(/got a private key/)
    expect(() => jwtAuth(issuerWith({ ...jwk, key_ops: ['verify'], use: 'sig' }))).not.toThrow()
  })

  it('refuses RSA keys under 2048 bits, and keys that fit none of the algorithms', () => {
    expect(() => jwtAuth({ issuers: [rsaIssuer({ publicKey: testKeys().rsa1024.publicKey })] })).toThrow(
      /rsa 1024 bits/,
    )
    expect(() =>
      jwtAuth({ issuers: [rsaIssuer({ publicKey: testKeys().ec384.publicKey, algorithms: ['ES256'] })] }),
    ).toThrow(/ec secp384r1/)
    expect(() => jwtAuth({ issuers: [rsaIssuer({ publicKey: testKeys().ed25519.publicKey })] })).toThrow(
      /ed25519/,
    )
  })
})

describe('attack: kid injection', () => {
  it.each([
    ['path traversal', '../../../../etc/passwd'],
    ['SQL', "' OR '1'='1"],
    ['a non-string kid', 42],
    ['a huge kid (bounded by maxTokenBytes)', 'k'.repeat(6000)],
  ])('a kid with %s selects nothing and changes nothing', async (_name, kid) => {
    const jwk = { ...testKeys().rsa.publicKey.export({ format: 'jwk' }), kid: 'real' }
    const token = await signJwt(claims(), 'RS256', { kid })
    const [status] = await attempt(token, { issuers: [rsaIssuer({ publicKey: jwk })] })
    expect(status).toBe(401)
  })
})

describe('attack: keys named by the token (jku, x5u, jwk, x5c) are ignored', () => {
  it('never fetches jku/x5u and never trusts an embedded jwk or x5c', async () => {
    let requests = 0
    const server = createServer((_req, res) => {
      requests++
      res.end('{"keys":[]}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
    try {
      const attacker = testKeys().rsaOther
      const header = {
        jku: url,
        x5u: url,
        jwk: attacker.publicKey.export({ format: 'jwk' }),
        x5c: ['MIIB'],
      }
      const token = await signJwt(claims(), 'RS256', header, attacker.privateKey)
      expect(await attempt(token)).toEqual([401, 'signature-invalid'])
      expect(requests).toBe(0)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('attack: critical headers', () => {
  it.each([[['exp']], [['b64', 'zip']], [[]], ['b64'], [[1]]])('refuses crit %j', async (crit) => {
    const token = craftToken({ alg: 'RS256', crit, b64: true, exp: 1 }, claims(), {
      key: keysFor('RS256').sign,
    })
    expect(await attempt(token)).toEqual([401, 'crit-unsupported'])
  })

  it('refuses crit ["b64"] with b64: false (an unencoded payload is no JWT) and accepts it with b64: true', async () => {
    const key = keysFor('RS256').sign
    expect(await attempt(craftToken({ alg: 'RS256', crit: ['b64'], b64: false }, claims(), { key }))).toEqual(
      [401, 'crit-unsupported'],
    )
    expect(
      (await attempt(craftToken({ alg: 'RS256', crit: ['b64'], b64: true }, claims(), { key })))[0],
    ).toBe(200)
  })
})

describe('attack: time claims', () => {
  const at = (extra: Record<string, unknown>) => signJwt(claims(extra))

  it('refuses a token without exp', async () => {
    expect(await attempt(await at({ exp: undefined }))).toEqual([401, 'claim-missing'])
  })

  it('refuses an expired token, and decides the edge like jose (exp <= now - tolerance)', async () => {
    expect(await attempt(await at({ exp: NOW - 3600 }))).toEqual([401, 'token-expired'])
    expect(await attempt(await at({ exp: NOW }), { clockToleranceSec: 0 })).toEqual([401, 'token-expired'])
    expect((await attempt(await at({ exp: NOW + 1 }), { clockToleranceSec: 0 }))[0]).toBe(200)
    expect(await attempt(await at({ exp: NOW - 5 }), { clockToleranceSec: 5 })).toEqual([
      401,
      'token-expired',
    ])
    expect((await attempt(await at({ exp: NOW - 4 }), { clockToleranceSec: 5 }))[0]).toBe(200)
  })

  it('refuses nbf and iat in the future', async () => {
    expect(await attempt(await at({ nbf: NOW + 60 }))).toEqual([401, 'token-not-yet-valid'])
    expect(await attempt(await at({ iat: NOW + 60 }))).toEqual([401, 'iat-in-future'])
  })

  it.each([
    ['exp as a string', { exp: String(NOW + 60) }],
    ['exp as null', { exp: null }],
    ['nbf as a string', { nbf: 'yesterday' }],
    ['iat as an array', { iat: [NOW] }],
    ['exp as a boolean', { exp: true }],
  ])('refuses %s', async (_name, extra) => {
    expect(await attempt(await at(extra))).toEqual([401, 'claim-invalid'])
  })

  it.each(['"exp":1e400', '"nbf":-1e400', '"iat":-1e400'])(
    'refuses a signed token whose %s parses to an infinite number (401, not a 500)',
    async (claim) => {
      // JSON.parse reads 1e400 as Infinity; jose's SignJWT refuses to sign it, so the token is hand-made.
      const payload = `${JSON.stringify(claims({ exp: claim.startsWith('"exp"') ? undefined : NOW + 60 })).slice(0, -1)},${claim}}`
      const token = craftToken({ alg: 'RS256' }, payload, { key: testKeys().rsa.privateKey })
      expect(await attempt(token)).toEqual([401, 'claim-invalid'])
    },
  )
})

describe('attack: issuer and audience', () => {
  it('refuses an unlisted iss (also a prefix, a suffix, a case variant or a non-string)', async () => {
    for (const iss of [
      'https://evil.example/',
      `${ISS}x`,
      ISS.slice(0, -1),
      ISS.toUpperCase(),
      1,
      [ISS],
      null,
    ]) {
      expect(await attempt(await signJwt(claims({ iss })))).toEqual([401, 'issuer-not-allowed'])
    }
    expect(await attempt(await signJwt(claims({ iss: undefined })))).toEqual([401, 'issuer-not-allowed'])
  })

  it('refuses another aud, accepts an aud array containing ours', async () => {
    expect(await attempt(await signJwt(claims({ aud: 'other-api' })))).toEqual([401, 'audience-mismatch'])
    expect(await attempt(await signJwt(claims({ aud: ['a', 'b'] })))).toEqual([401, 'audience-mismatch'])
    expect((await attempt(await signJwt(claims({ aud: ['a', 'api'] }))))[0]).toBe(200)
    expect(await attempt(await signJwt(claims({ aud: undefined })))).toEqual([401, 'audience-mismatch'])
  })

  it('refuses a wrong typ when the issuer requires one', async () => {
    const options = { issuers: [rsaIssuer({ typ: 'at+jwt' })] }
    expect(await attempt(await signJwt(claims(), 'RS256', { typ: 'JWT' }), options)).toEqual([
      401,
      'typ-mismatch',
    ])
    expect(await attempt(await signJwt(claims(), 'RS256'), options)).toEqual([401, 'typ-mismatch'])
    expect((await attempt(await signJwt(claims(), 'RS256', { typ: 'application/AT+JWT' }), options))[0]).toBe(
      200,
    )
  })
})

describe('attack: cross-tenant tokens', () => {
  const tenants: Partial<JwtAuthOptions> = {
    issuers: [
      rsaIssuer({ issuer: 'https://a.example', tenantId: 'tenant-a' }),
      rsaIssuer({
        issuer: 'https://b.example',
        tenantId: 'tenant-b',
        publicKey: testKeys().rsaOther.publicKey,
      }),
    ],
    tenant: { claim: 'tenant', fromRequest: (view) => view.pathParameters.tenantId },
  }

  it("a token from tenant A's issuer cannot act for tenant B, whatever its claims say", async () => {
    const handler = auth(tenants)
    const fromA = await signJwt(claims({ iss: 'https://a.example' }))
    expect(
      (await call(handler, bearer(fromA, { pathParameters: { tenantId: 'tenant-a' } }))).statusCode,
    ).toBe(200)
    expect(
      (await call(handler, bearer(fromA, { pathParameters: { tenantId: 'tenant-b' } }))).statusCode,
    ).toBe(403)
    const claimsB = await signJwt(claims({ iss: 'https://a.example', tenant: 'tenant-b' }))
    expect(
      (await call(handler, bearer(claimsB, { pathParameters: { tenantId: 'tenant-b' } }))).statusCode,
    ).toBe(401)
    expect(events.at(-1)?.reason).toBe('tenant-claim-mismatch')
  })

  it("a token signed with tenant A's key but naming tenant B's issuer is refused", async () => {
    const forged = await signJwt(claims({ iss: 'https://b.example' }))
    expect(await attempt(forged, tenants)).toEqual([401, 'signature-invalid'])
  })
})

describe('attack: oversized and malformed tokens', () => {
  it('refuses a token over maxTokenBytes before parsing it', async () => {
    const big = await signJwt(claims({ padding: 'x'.repeat(9000) }))
    expect(await attempt(big)).toEqual([401, 'token-too-large'])
    expect(await attempt(`${'A'.repeat(1_000_000)}.x.y`)).toEqual([401, 'token-too-large'])
    expect((await attempt(big, { maxTokenBytes: 20_000 }))[0]).toBe(200)
  })

  it.each([
    ['bad base64url', (t: string) => t.replace('.', '.*')],
    ['padding', (t: string) => t.replace('.', '=.')],
    ['a standard-base64 signature', (t: string) => `${t.slice(0, -1)}+`],
    ['a non-JSON header', (t: string) => `${b64url('{alg:RS256}')}.${t.split('.')[1]}.${t.split('.')[2]}`],
    ['a non-JSON payload', (t: string) => `${t.split('.')[0]}.${b64url('not json')}.${t.split('.')[2]}`],
    ['two parts', (t: string) => t.split('.').slice(0, 2).join('.')],
    ['four parts', (t: string) => `${t}.x`],
  ])('refuses a token with %s', async (_name, mangle) => {
    const [status, reason] = await attempt(mangle(await signJwt()))
    expect(status).toBe(401)
    expect(['token-malformed', 'alg-unsupported']).toContain(reason)
  })

  it('__proto__ keys in header and claims pollute nothing and grant nothing', async () => {
    const payload = `{"iss":"${ISS}","aud":"api","sub":"u","exp":${NOW + 60},"__proto__":{"roles":["admin"],"isAdmin":true}}`
    const header = '{"alg":"RS256","__proto__":{"alg":"none"}}'
    const token = craftToken({}, payload, {
      rawHeader: b64url(header),
      key: keysFor('RS256').sign,
      signAlg: 'RS256',
    })
    const response = await call(auth(), bearer(token))
    expect(response.statusCode).toBe(200)
    expect(JSON.parse(response.body).roles).toEqual([])
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(({} as Record<string, unknown>).roles).toBeUndefined()
  })

  it('refuses deeply nested claims without a stack overflow', async () => {
    const nested = `{"iss":"${ISS}","aud":"api","sub":"u","exp":${NOW + 60},"x":${'['.repeat(5000)}${']'.repeat(5000)}}`
    const token = craftToken({ alg: 'RS256' }, nested, { key: keysFor('RS256').sign })
    expect(await attempt(token, { maxTokenBytes: 100_000 })).toEqual([401, 'token-malformed'])
  })
})

describe('attack: signatures', () => {
  it('ECDSA zero signature (r = s = 0, "psychic signatures") is refused', async () => {
    const options = { issuers: [rsaIssuer({ algorithms: ['ES256'], publicKey: testKeys().ec256.publicKey })] }
    const unsigned = craftToken({ alg: 'ES256' }, claims())
    expect(await attempt(`${unsigned}${Buffer.alloc(64).toString('base64url')}`, options)).toEqual([
      401,
      'signature-invalid',
    ])
  })

  it('a signature from another key, a stripped signature and a re-used signature are refused', async () => {
    const other = await signJwt(claims(), 'RS256', {}, testKeys().rsaOther.privateKey)
    expect(await attempt(other)).toEqual([401, 'signature-invalid'])
    const valid = await signJwt()
    expect(await attempt(valid.slice(0, valid.lastIndexOf('.') + 1))).toEqual([401, 'signature-invalid'])
    const elevated = await signJwt(claims({ roles: ['admin'] }))
    const [h, p] = elevated.split('.')
    expect(await attempt(`${h}.${p}.${valid.split('.')[2]}`)).toEqual([401, 'signature-invalid'])
  })

  it('an RSA-PSS signature with its leading zero octet stripped is refused (RFC 8017: exactly the modulus length)', async () => {
    // OpenSSL and WebCrypto accept the shorter form, which would give a token a second valid spelling.
    const options = { issuers: [rsaIssuer({ algorithms: ['PS256'] })] }
    let token = ''
    // PSS signing is randomized: re-sign until the signature starts with a zero octet (1 in 256).
    for (let i = 0; i < 4000 && token === ''; i++) {
      const candidate = await signJwt(claims(), 'PS256')
      if (Buffer.from(candidate.split('.')[2]!, 'base64url')[0] === 0) token = candidate
    }
    expect(await attempt(token, options)).toEqual([200, 'token-verified'])
    const [h, p, s] = token.split('.')
    const stripped = Buffer.from(s!, 'base64url').subarray(1).toString('base64url')
    expect(await attempt(`${h}.${p}.${stripped}`, options)).toEqual([401, 'signature-invalid'])
  })

  it('an empty HMAC secret (and one shorter than the hash) is refused at construction', () => {
    expect(() => jwtAuth({ issuers: [{ ...hsIssuer, secret: '' }] })).toThrow(/at least 32/)
    expect(() => jwtAuth({ issuers: [{ ...hsIssuer, secret: new Uint8Array(0) }] })).toThrow(/at least 32/)
    expect(() =>
      jwtAuth({ issuers: [{ ...hsIssuer, algorithms: ['HS256', 'HS512'], secret: 's'.repeat(32) }] }),
    ).toThrow(/at least 64/)
  })
})

describe('attack: JWE instead of JWS', () => {
  it('refuses a five-part token, including a PBES2 header with a huge p2c, without decrypting anything', async () => {
    const header = b64url({ alg: 'PBES2-HS512+A256KW', enc: 'A256GCM', p2c: 2_000_000_000, p2s: 'AAAA' })
    expect(await attempt(`${header}.AAAA.AAAA.AAAA.AAAA`)).toEqual([401, 'jwe-not-supported'])
  })
})
