// @lift/auth-jwt against the bare Middy handler and the JWT libraries a team would otherwise pick, per
// algorithm: a token seen before (Lift's verified-token cache, fast-jwt's cache) and a first-seen token.
import { generateKeyPairSync, type KeyObject } from 'node:crypto'
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
  const liftFirstSeen = middy()
    .use(jwtAuth({ issuers: [issuer], cache: { maxEntries: FIRST_SEEN_CACHE_ENTRIES } }))
    .handler(ok)
  let next = 0
  const nextPoolEvent = () => {
    next = (next + 1) % FIRST_SEEN_POOL
    return invocationEvent(poolEvents[next]!)
  }

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

  const cached: BenchCase[] = [
    {
      name: 'Lift jwtAuth (cached token)',
      run: () => liftCached(invocationEvent(event), context),
      check: assert200,
    },
    {
      name: 'fast-jwt (cache on)',
      peer: true,
      run: () => fastJwtCached(invocationEvent(event), context),
      check: assert200,
    },
  ]
  const firstSeen: BenchCase[] = [
    {
      name: 'Lift jwtAuth (first-seen token)',
      run: () => liftFirstSeen(nextPoolEvent(), context),
      check: assert200,
    },
    {
      name: 'fast-jwt (cache off)',
      peer: true,
      run: () => fastJwt(nextPoolEvent(), context),
      check: assert200,
    },
    { name: 'jose jwtVerify', peer: true, run: () => jose(nextPoolEvent(), context), check: assert200 },
  ]
  if (keys.jwk) {
    const verifier = JwtVerifier.create({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: 'https://keys.bench.example/jwks',
    })
    verifier.cacheJwks({ keys: [keys.jwk as never] })
    const awsJwtVerify = peerHandler((t) => verifier.verify(t))
    firstSeen.push({
      name: 'aws-jwt-verify',
      peer: true,
      run: () => awsJwtVerify(nextPoolEvent(), context),
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
    firstSeen.push({
      name: 'middy-middleware-jwt-auth',
      peer: true,
      run: () => jwtAuthPeer(nextPoolEvent(), context),
      check: assert200,
    })
  }
  const baseline = { name: 'bare Middy handler', run: () => bare(invocationEvent(event), context) }
  return [
    { name: `${alg}: token seen before`, baseline, cases: cached },
    { name: `${alg}: first-seen token`, baseline, cases: firstSeen },
  ]
}

const groups = (await Promise.all((['HS256', 'RS256', 'ES256', 'EdDSA'] as const).map(group))).flat()

await runSuite({
  name: 'auth-jwt',
  description:
    'Bearer-token authentication in a Middy handler: Lift jwtAuth (verified-token cache hit; first-seen token, ' +
    'node:crypto verify) against fast-jwt, jose, aws-jwt-verify and middy-middleware-jwt-auth doing the same job.',
  groups,
})
