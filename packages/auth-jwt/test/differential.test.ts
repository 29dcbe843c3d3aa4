// Differential test: Lift's own verification path (node:crypto signatures, own claim checks) must reach
// the same accept/reject decision as jose's jwtVerify on the same options, for generated tokens that are
// valid, tampered, re-signed with odd claims or headers, signed with the wrong key or the wrong algorithm.
import { createSecretKey, type KeyObject } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { jwtVerify } from 'jose'
import type { JwtAlgorithm } from '../src/algorithms'
import { type JwtAuthConfig, resolveJwtAuthConfig } from '../src/config'
import { TokenRejection } from '../src/rejection'
import { verifyToken } from '../src/verify-token'
import { keysFor, testKeys } from './support/keys'
import { b64url, craftToken, signInput } from './support/tokens'

const NOW_MS = 1_800_000_000_500
const NOW = Math.floor(NOW_MS / 1000)
const ISSUER = 'https://issuer.example'
const AUDIENCE = ['api', 'api-2']
const RUNS = 10_000

const GROUPS: readonly (readonly JwtAlgorithm[])[] = [
  ['HS256', 'HS384', 'HS512'],
  ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'],
  ['ES256'],
  ['ES384'],
  ['ES512'],
  ['EdDSA'],
]

interface Variant {
  readonly group: number
  readonly typ?: string
  readonly maxTokenAgeSec?: number
  readonly clockToleranceSec: number
}

const configs = new Map<string, JwtAuthConfig>()
const reasons = new Map<string, number>()

function liftConfig(variant: Variant): JwtAuthConfig {
  const id = JSON.stringify(variant)
  let config = configs.get(id)
  if (!config) {
    const algorithms = GROUPS[variant.group]!
    const { verify } = keysFor(algorithms[0]!)
    const key = algorithms[0]!.startsWith('HS') ? { secret: verify.export() } : { publicKey: verify }
    config = resolveJwtAuthConfig({
      issuers: [
        {
          issuer: ISSUER,
          audience: AUDIENCE,
          algorithms,
          ...key,
          ...(variant.typ === undefined ? {} : { typ: variant.typ }),
          ...(variant.maxTokenAgeSec === undefined ? {} : { maxTokenAgeSec: variant.maxTokenAgeSec }),
        },
      ],
      clockToleranceSec: variant.clockToleranceSec,
      cache: false,
      now: () => NOW_MS,
    })
    configs.set(id, config)
  }
  return config
}

async function liftAccepts(variant: Variant, token: string): Promise<boolean> {
  try {
    await verifyToken(liftConfig(variant), token, NOW_MS)
    return true
  } catch (error) {
    if (error instanceof TokenRejection && error.status === 401) {
      reasons.set(error.reason, (reasons.get(error.reason) ?? 0) + 1)
      return false
    }
    throw error
  }
}

async function joseAccepts(variant: Variant, token: string): Promise<boolean> {
  const algorithms = GROUPS[variant.group]!
  const { verify } = keysFor(algorithms[0]!)
  const payloadHasIat = (() => {
    try {
      return Object.hasOwn(JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()), 'iat')
    } catch {
      return false
    }
  })()
  // Without maxTokenAgeSec Lift still refuses an iat in the future; jose checks that only with maxTokenAge,
  // so give it one too long to matter whenever the token has an iat.
  const maxTokenAge = variant.maxTokenAgeSec ?? (payloadHasIat ? 1e12 : undefined)
  try {
    await jwtVerify(token, algorithms[0]!.startsWith('HS') ? verify.export() : verify, {
      algorithms: [...algorithms],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['exp', 'sub'],
      clockTolerance: variant.clockToleranceSec,
      currentDate: new Date(NOW_MS),
      ...(variant.typ === undefined ? {} : { typ: variant.typ }),
      ...(maxTokenAge === undefined ? {} : { maxTokenAge }),
    })
    return true
  } catch {
    return false
  }
}

// ---- generators -------------------------------------------------------------------------------------

const ALL_ALGS = [
  'HS256',
  'HS384',
  'HS512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
]
/** `arb` or undefined, in the ratio defined : absent. */
const maybe = <T>(arb: fc.Arbitrary<T>, defined = 4, absent = 1) =>
  fc.oneof({ arbitrary: arb, weight: defined }, { arbitrary: fc.constant(undefined), weight: absent })
const oddValue = fc.oneof(
  fc.constant(null),
  fc.string({ maxLength: 4 }),
  fc.boolean(),
  fc.constant([]),
  fc.constant({}),
)
const time = (around: number) =>
  fc.oneof(
    { arbitrary: fc.integer({ min: around - 120, max: around + 120 }), weight: 24 },
    { arbitrary: fc.double({ min: around - 60, max: around + 60, noNaN: true }), weight: 1 },
    { arbitrary: oddValue, weight: 1 },
  )

const variantArb = fc.record({
  group: fc.integer({ min: 0, max: GROUPS.length - 1 }),
  typ: maybe(fc.constantFrom('at+jwt', 'JWT'), 1, 4),
  maxTokenAgeSec: maybe(fc.integer({ min: 0, max: 120 }), 1, 4),
  clockToleranceSec: fc.constantFrom(0, 5, 30),
})

const headerArb = (groupAlgs: readonly string[]) =>
  fc.record({
    alg: fc.oneof(
      { arbitrary: fc.constantFrom(...groupAlgs), weight: 40 },
      { arbitrary: fc.constantFrom(...ALL_ALGS, 'none', 'None', 'Ed25519', 'HS257', ''), weight: 2 },
      { arbitrary: oddValue, weight: 1 },
    ),
    typ: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 8 },
      { arbitrary: fc.constantFrom('JWT', 'at+jwt', 'AT+JWT', 'application/at+jwt', 'jose'), weight: 8 },
      { arbitrary: oddValue, weight: 1 },
    ),
    kid: maybe(fc.string({ maxLength: 8 }), 1, 1),
    crit: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 40 },
      { arbitrary: fc.constantFrom(['b64'], ['exp'], [], ['b64', 'b64'], 'b64', [''], [1]), weight: 2 },
    ),
    b64: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 8 },
      { arbitrary: fc.constantFrom(true, false, 'true'), weight: 1 },
    ),
  })

const payloadArb = fc.record({
  iss: fc.oneof(
    { arbitrary: fc.constant(ISSUER), weight: 40 },
    { arbitrary: fc.constantFrom(`${ISSUER}/`, 'https://evil.example', ''), weight: 1 },
    { arbitrary: oddValue, weight: 1 },
  ),
  sub: fc.oneof(
    { arbitrary: fc.constantFrom('user-1', 'user-2'), weight: 40 },
    { arbitrary: fc.constant(undefined), weight: 1 },
  ),
  aud: fc.oneof(
    { arbitrary: fc.constantFrom('api', 'api-2', ['x', 'api'], ['api-2']), weight: 40 },
    { arbitrary: fc.constantFrom('nope', ['x'], [], 'API'), weight: 2 },
    { arbitrary: fc.constant(undefined), weight: 1 },
    { arbitrary: fc.constantFrom(1, null, [1, 'x']), weight: 1 },
  ),
  exp: fc.oneof({ arbitrary: time(NOW + 100), weight: 40 }, { arbitrary: fc.constant(undefined), weight: 1 }),
  nbf: maybe(time(NOW - 60), 1, 1),
  iat: maybe(time(NOW - 60)),
  scope: maybe(fc.constantFrom('read write', ''), 1, 3),
  extra: maybe(fc.jsonValue({ maxDepth: 3 }), 1, 3),
})

type Signing = 'right-key' | 'other-key' | 'other-alg' | 'public-key-as-hmac-secret' | 'no-signature'
type Tamper =
  | 'none'
  | 'payload-char'
  | 'signature-char'
  | 'header-char'
  | 'truncate-signature'
  | 'swap-signature'

const caseArb = variantArb.chain((variant) =>
  fc.record({
    variant: fc.constant(variant as Variant),
    header: headerArb(GROUPS[variant.group]!),
    payload: payloadArb,
    signing: fc.oneof(
      { arbitrary: fc.constant<Signing>('right-key'), weight: 40 },
      {
        arbitrary: fc.constantFrom<Signing>(
          'other-key',
          'other-alg',
          'public-key-as-hmac-secret',
          'no-signature',
        ),
        weight: 3,
      },
    ),
    tamper: fc.oneof(
      { arbitrary: fc.constant<Tamper>('none'), weight: 40 },
      {
        arbitrary: fc.constantFrom<Tamper>(
          'payload-char',
          'signature-char',
          'header-char',
          'truncate-signature',
          'swap-signature',
        ),
        weight: 3,
      },
    ),
    position: fc.nat(),
    replacement: fc.constantFrom(...'AQgw_-09zZ'.split('')),
  }),
)

function buildToken(c: CaseInput): string {
  const algs = GROUPS[c.variant.group]!
  const headerAlg =
    typeof c.header.alg === 'string' && ALL_ALGS.includes(c.header.alg) ? c.header.alg : algs[0]!
  let signAlg = headerAlg
  let key = keysFor(headerAlg as JwtAlgorithm).sign
  switch (c.signing) {
    case 'other-key':
      key = keysFor(headerAlg as JwtAlgorithm, true).sign
      break
    case 'other-alg':
      signAlg = ALL_ALGS[(ALL_ALGS.indexOf(headerAlg) + 1) % ALL_ALGS.length]!
      key = keysFor(signAlg as JwtAlgorithm).sign
      break
    case 'public-key-as-hmac-secret':
      signAlg = 'HS256'
      key = pemAsHmacSecret()
      break
  }
  let token = craftToken(c.header, c.payload, c.signing === 'no-signature' ? {} : { key, signAlg })
  const [h, p, s] = token.split('.') as [string, string, string]
  const replaceAt = (segment: string) => {
    if (segment.length === 0) return c.replacement
    const at = c.position % segment.length
    return segment.slice(0, at) + c.replacement + segment.slice(at + 1)
  }
  switch (c.tamper) {
    case 'payload-char':
      token = `${h}.${replaceAt(p)}.${s}`
      break
    case 'signature-char':
      token = `${h}.${p}.${replaceAt(s)}`
      break
    case 'header-char':
      token = `${replaceAt(h)}.${p}.${s}`
      break
    case 'truncate-signature':
      token = `${h}.${p}.${s.slice(0, Math.max(0, s.length - 4))}`
      break
    case 'swap-signature':
      token = `${h}.${p}.${signInput(signAlg, key, `${h}.${b64url({ sub: 'other' })}`).toString('base64url')}`
      break
  }
  return token
}

interface CaseInput {
  variant: Variant
  header: Record<string, unknown>
  payload: Record<string, unknown>
  signing: Signing
  tamper: Tamper
  position: number
  replacement: string
}

// The RSA public key's PEM bytes used as an HMAC secret: the classic RS/HS confusion forgery.
let pemSecret: KeyObject | undefined
function pemAsHmacSecret(): KeyObject {
  pemSecret ??= createSecretKey(Buffer.from(testKeys().rsa.publicKey.export({ type: 'spki', format: 'pem' })))
  return pemSecret
}

describe('differential: Lift verifyToken vs jose jwtVerify', () => {
  it(`agrees on every one of ${RUNS} generated tokens`, async () => {
    testKeys()
    let accepted = 0
    let rejected = 0
    await fc.assert(
      fc.asyncProperty(caseArb, async (input) => {
        const c = input as CaseInput
        const token = buildToken(c)
        const [lift, jose] = [await liftAccepts(c.variant, token), await joseAccepts(c.variant, token)]
        if (lift) accepted++
        else rejected++
        expect({ token, lift }).toEqual({ token, lift: jose })
      }),
      // A fixed seed keeps CI reproducible; DIFFERENTIAL_SEED=<n> explores other cases.
      { numRuns: RUNS, seed: Number(process.env.DIFFERENTIAL_SEED ?? 20_261_128) },
    )
    // The generator must exercise both outcomes and most refusal reasons, or agreement would mean little.
    expect(accepted).toBeGreaterThan(RUNS * 0.15)
    expect(rejected).toBeGreaterThan(RUNS * 0.3)
    expect(reasons.size).toBeGreaterThanOrEqual(12)
  }, 180_000)
})
