// @lift/auth-jwt against the bare Middy handler, the physical floor (node:crypto verify of the same token)
// and the JWT libraries a team would otherwise pick, per algorithm, answering three questions in separate
// groups: a token seen before (Lift's verified-token cache, fast-jwt's cache); the same token verified
// again with every cache off (the cost of one verification); distinct tokens cycled (first-seen tokens, as
// under real traffic from many users).
import {
  createHmac,
  verify as cryptoVerify,
  generateKeyPairSync,
  type KeyObject,
  timingSafeEqual,
} from 'node:crypto'
import { jwtAuth } from '@lift/auth-jwt'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy, { type MiddlewareObj } from '@middy/core'
import { JwtVerifier } from 'aws-jwt-verify'
import { createVerifier } from 'fast-jwt'
import { type JWK, jwtVerify, SignJWT } from 'jose'
import jwtAuthMiddlewareModule, { EncryptionAlgorithms } from 'middy-middleware-jwt-auth'
import { type BenchCase, type BenchGroup, invocationEvent, runSuite } from '../harness'

type Alg = 'HS256' | 'RS256' | 'ES256' | 'EdDSA'

const ISSUER = 'https://issuer.bench.example'
const AUDIENCE = 'api'
const KID = 'bench-key'
/** Distinct tokens cycled through for the first-seen cases: far more than the Lift cache holds. */
const FIRST_SEEN_POOL = 2000
const FIRST_SEEN_CACHE_ENTRIES = 64

// A CommonJS module with `exports.default`: under Node's ESM loader the default import is the exports object.
const JWTAuthMiddleware =
  (jwtAuthMiddlewareModule as unknown as { default?: typeof jwtAuthMiddlewareModule }).default ??
  jwtAuthMiddlewareModule

const context = lambdaContext()
const ok = async () => ({ statusCode: 200, body: '' })
const bare = middy().handler(ok)

interface KeySet {
  readonly signKey: KeyObject | Uint8Array
  /** What the verifiers are given: the secret, or the public key. */
  readonly verifyKey: KeyObject | Uint8Array
  readonly pemOrSecret: string | Buffer
  readonly jwk?: JWK
}

function keySet(alg: Alg): KeySet {
  if (alg === 'HS256') {
    const secret = Buffer.from('bench-secret-'.repeat(4))
    return { signKey: secret, verifyKey: secret, pemOrSecret: secret }
  }
  const pair =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : alg === 'ES256'
        ? generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
        : generateKeyPairSync('ed25519')
  return {
    signKey: pair.privateKey,
    verifyKey: pair.publicKey,
    pemOrSecret: pair.publicKey.export({ type: 'spki', format: 'pem' }) as string,
    jwk: { ...(pair.publicKey.export({ format: 'jwk' }) as JWK), kid: KID, alg, use: 'sig' },
  }
}

const sign = (alg: Alg, keys: KeySet, sub: string) => {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT({ sub, scope: 'read write', roles: ['user'] })
    .setProtectedHeader({ alg, typ: 'JWT', kid: KID })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(keys.signKey)
}

const eventFor = (token: string) => apiGatewayV2Event({ headers: { authorization: `Bearer ${token}` } })

const assert200 = (result: unknown) => {
  const status = (result as { statusCode?: number } | undefined)?.statusCode
  if (status !== 200) throw new Error(`expected 200, got ${JSON.stringify(result)}`)
}

/**
 * The floor of verifying `alg`: the signature over the token's first two segments checked with node:crypto
 * and nothing else (no header or claim parsing, no checks): no correct verifier can do less per token.
 */
function rawVerify(alg: Alg, key: KeyObject | Uint8Array): (token: string) => void {
  return (token) => {
    const dot = token.lastIndexOf('.')
    const input = Buffer.from(token.slice(0, dot))
    const signature = Buffer.from(token.slice(dot + 1), 'base64url')
    let valid: boolean
    if (alg === 'HS256') {
      const mac = createHmac('sha256', key as Uint8Array)
        .update(input)
        .digest()
      valid = mac.length === signature.length && timingSafeEqual(mac, signature)
    } else if (alg === 'ES256') {
      valid = cryptoVerify('sha256', input, { key: key as KeyObject, dsaEncoding: 'ieee-p1363' }, signature)
    } else {
      valid = cryptoVerify(alg === 'RS256' ? 'sha256' : null, input, key as KeyObject, signature)
    }
    if (!valid) throw new Error('raw verify rejected the token')
  }
}

/** A Middy handler whose one middleware verifies the bearer token with `verify`. */
function peerHandler(verify: (token: string) => unknown) {
  return middy()
    .use({
      before: async (request) => {
        const header = (request.event as { headers: Record<string, string> }).headers.authorization ?? ''
        const payload = await verify(header.slice(7))
        Object.assign(request.context, { principal: payload })
      },
    })
    .handler(ok)
}

async function group(alg: Alg): Promise<BenchGroup[]> {
  const keys = keySet(alg)
  const token = await sign(alg, keys, 'user-1')
  const pool = await Promise.all(
    Array.from({ length: FIRST_SEEN_POOL }, (_, i) => sign(alg, keys, `user-${i}`)),
  )
  const poolEvents = pool.map(eventFor)
  const event = eventFor(token)
  const keySource =
    alg === 'HS256' ? { secret: keys.verifyKey as Uint8Array } : { publicKey: keys.verifyKey as KeyObject }
  const issuer = { issuer: ISSUER, audience: AUDIENCE, algorithms: [alg], ...keySource }

  const liftCached = middy()
    .use(jwtAuth({ issuers: [issuer] }))
    .handler(ok)
  const liftUncached = middy()
    .use(jwtAuth({ issuers: [issuer], cache: false }))
    .handler(ok)
  const liftFirstSeen = middy()
    .use(jwtAuth({ issuers: [issuer], cache: { maxEntries: FIRST_SEEN_CACHE_ENTRIES } }))
    .handler(ok)
  let next = 0
  const nextPoolEvent = () => {
    next = (next + 1) % FIRST_SEEN_POOL
    return invocationEvent(poolEvents[next]!)
  }
  const sameEvent = () => invocationEvent(event)

  const fastJwtOptions = {
    key: keys.pemOrSecret,
    algorithms: [alg],
    allowedIss: ISSUER,
    allowedAud: AUDIENCE,
  }
  const fastJwtCached = peerHandler(createVerifier({ ...fastJwtOptions, cache: true }))
  const fastJwt = peerHandler(createVerifier({ ...fastJwtOptions, cache: false }))
  const jose = peerHandler((t) =>
    jwtVerify(t, keys.verifyKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: [alg] }),
  )
  const raw = peerHandler(rawVerify(alg, keys.verifyKey))
  // The floor of a cache hit: one Map lookup of the token string.
  const verified = new Map([[token, { sub: 'user-1' }]])
  const cacheLookup = peerHandler((t) => {
    const payload = verified.get(t)
    if (!payload) throw new Error('not cached')
    return payload
  })

  const uncachedPeers = (events: () => unknown): BenchCase[] => {
    const peers: BenchCase[] = [
      { name: 'fast-jwt (cache off)', peer: true, run: () => fastJwt(events(), context), check: assert200 },
      { name: 'jose jwtVerify', peer: true, run: () => jose(events(), context), check: assert200 },
    ]
    if (keys.jwk) {
      const verifier = JwtVerifier.create({
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUri: 'https://keys.bench.example/jwks',
      })
      verifier.cacheJwks({ keys: [keys.jwk as never] })
      const awsJwtVerify = peerHandler((t) => verifier.verify(t))
      peers.push({
        name: 'aws-jwt-verify',
        peer: true,
        run: () => awsJwtVerify(events(), context),
        check: assert200,
      })
    }
    if (alg !== 'EdDSA') {
      // jsonwebtoken (under middy-middleware-jwt-auth) has no EdDSA.
      const jwtAuthPeer = middy()
        .use(
          JWTAuthMiddleware({
            algorithm: EncryptionAlgorithms[alg],
            credentialsRequired: true,
            secretOrPublicKey: keys.pemOrSecret,
          }) as unknown as MiddlewareObj,
        )
        .handler(ok)
      peers.push({
        name: 'middy-middleware-jwt-auth',
        peer: true,
        run: () => jwtAuthPeer(events(), context),
        check: assert200,
      })
    }
    return peers
  }
  const baseline = { name: 'bare Middy handler', run: () => bare(sameEvent(), context) }
  const limit = (events: () => unknown): BenchCase => ({
    name: `limit: node:crypto verify (${alg})`,
    run: () => raw(events(), context),
    check: assert200,
  })
  return [
    {
      name: `${alg}: token seen before`,
      baseline,
      limit: {
        name: 'limit: Map lookup of the token',
        run: () => cacheLookup(sameEvent(), context),
        check: assert200,
      },
      cases: [
        {
          name: 'Lift jwtAuth (cached token)',
          run: () => liftCached(sameEvent(), context),
          check: assert200,
        },
        {
          name: 'fast-jwt (cache on)',
          peer: true,
          run: () => fastJwtCached(sameEvent(), context),
          check: assert200,
        },
      ],
    },
    {
      name: `${alg}: same token, every cache off`,
      baseline,
      limit: limit(sameEvent),
      cases: [
        {
          name: 'Lift jwtAuth (cache: false)',
          run: () => liftUncached(sameEvent(), context),
          check: assert200,
        },
        ...uncachedPeers(sameEvent),
      ],
    },
    {
      name: `${alg}: ${FIRST_SEEN_POOL} distinct tokens cycled`,
      baseline,
      limit: limit(nextPoolEvent),
      cases: [
        {
          name: 'Lift jwtAuth (first-seen token)',
          run: () => liftFirstSeen(nextPoolEvent(), context),
          check: assert200,
        },
        ...uncachedPeers(nextPoolEvent),
      ],
    },
  ]
}

const groups = (await Promise.all((['HS256', 'RS256', 'ES256', 'EdDSA'] as const).map(group))).flat()

await runSuite({
  name: 'auth-jwt',
  description:
    'Bearer-token authentication in a Middy handler: Lift jwtAuth against fast-jwt, jose, aws-jwt-verify and ' +
    'middy-middleware-jwt-auth doing the same job, per algorithm: a token seen before (caches on); the same ' +
    `token verified again with every cache off; ${FIRST_SEEN_POOL} distinct tokens cycled (each one first-seen). ` +
    'The limit is the bare handler with one middleware doing only the node:crypto signature check of the same ' +
    'token (a Map lookup for the cached group).',
  groups,
})
