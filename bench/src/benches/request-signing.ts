// @lift/request-signing: verifying a signed 1 KB JSON POST, against the bare handler, the physical floor
// (digest + signature base + node:crypto verify, hand-written for this one request shape) and
// http-message-signatures.
import {
  createHash,
  createHmac,
  verify as cryptoVerify,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'
import { signRequest, verifySignature } from '@lift/request-signing'
import { httpRequestView } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import { httpbis, createVerifier as peerVerifier } from 'http-message-signatures'
import { type BenchGroup, invocationEvent, runSuite } from '../harness'

const context = lambdaContext()
const ok = { statusCode: 200, body: '' }
const url = 'https://api.example.com/orders?tenant=acme'
const body = JSON.stringify({
  items: Array.from({ length: 12 }, (_, i) => ({ sku: `SKU-${i}`, qty: i, note: 'x'.repeat(40) })),
}).slice(0, 1024)
const baseHeaders = { host: 'api.example.com', 'content-type': 'application/json', 'user-agent': 'bench/1.0' }

const hmacSecret = randomBytes(32)
const ed25519 = generateKeyPairSync('ed25519')
const algs = [
  { alg: 'hmac-sha256' as const, keyId: 'svc-hmac', signKey: hmacSecret, verifyKey: hmacSecret },
  { alg: 'ed25519' as const, keyId: 'svc-ed', signKey: ed25519.privateKey, verifyKey: ed25519.publicKey },
]

const bare = middy().handler(async () => ok)

const expect200 = (result: unknown) => {
  if ((result as { statusCode?: number }).statusCode !== 200)
    throw new Error(`expected 200, got ${JSON.stringify(result)}`)
}

const groups: BenchGroup[] = algs.map(({ alg, keyId, signKey, verifyKey }) => {
  const signed = signRequest(
    { method: 'POST', url, headers: baseHeaders, body },
    { keyId, key: signKey, alg },
  )
  const headers: Record<string, string> = { ...baseHeaders }
  for (const [name, value] of Object.entries(signed)) headers[name.toLowerCase()] = value
  const event = apiGatewayV2Event({
    method: 'POST',
    path: '/orders',
    query: { tenant: 'acme' },
    headers,
    body,
  })

  const lift = middy()
    .use(verifySignature({ keys: { [keyId]: { key: verifyKey, alg } } }))
    .handler(async () => ok)

  // The peer checks the signature only; the Content-Digest check is added by hand so that both do the same job.
  const peerKey = { id: keyId, algs: [alg], verify: peerVerifier(verifyKey, alg) }
  const peer = middy().handler(async (e: unknown) => {
    const view = httpRequestView(e)
    const verified = await httpbis.verifyMessage(
      { keyLookup: async () => peerKey, requiredFields: ['@method', '@target-uri', 'content-digest'] },
      {
        method: view.method,
        url: `https://${view.host}${view.path}?${view.rawQuery}`,
        headers: view.headers as Record<string, string>,
      },
    )
    const digest = `sha-256=:${createHash('sha256')
      .update(view.rawBody ?? '')
      .digest('base64')}:`
    if (!verified || view.header('content-digest') !== digest) throw new Error('peer rejected the request')
    return ok
  })

  // The floor: hash the body and compare the digest, build the signature base from the three covered
  // components and the signature parameters as sent, check the signature with node:crypto. No parsing
  // beyond slicing the two structured fields, no policy, no key lookup.
  const limit = middy().handler(async (e: unknown) => {
    const view = httpRequestView(e)
    const digest = `sha-256=:${createHash('sha256')
      .update(view.rawBody ?? '')
      .digest('base64')}:`
    const input = view.header('signature-input')!
    const sent = view.header('signature')!
    const base =
      `"@method": ${view.method}\n"@target-uri": https://${view.host}${view.path}?${view.rawQuery}\n` +
      `"content-digest": ${digest}\n"@signature-params": ${input.slice(input.indexOf('=') + 1)}`
    const signature = Buffer.from(sent.slice(sent.indexOf(':') + 1, -1), 'base64')
    const valid =
      alg === 'hmac-sha256'
        ? timingSafeEqual(
            createHmac('sha256', verifyKey as Buffer)
              .update(base)
              .digest(),
            signature,
          )
        : cryptoVerify(null, Buffer.from(base), verifyKey as KeyObject, signature)
    if (!valid || view.header('content-digest') !== digest) throw new Error('limit rejected the request')
    return ok
  })

  // httpRequestView memoizes per event object, so every call gets a fresh shallow copy (the baseline too).
  return {
    name: `1 KB JSON POST, ${alg}`,
    baseline: {
      name: 'bare Middy handler',
      run: () => bare(invocationEvent(event), context),
      check: expect200,
    },
    limit: {
      name: `limit: digest + signature base + node:crypto verify (${alg})`,
      run: () => limit(invocationEvent(event), context),
      check: expect200,
    },
    cases: [
      {
        name: `Lift verifySignature (${alg})`,
        run: () => lift(invocationEvent(event), context),
        check: expect200,
      },
      {
        name: `http-message-signatures verifyMessage (${alg}) + digest`,
        peer: true,
        run: () => peer(invocationEvent(event), context),
        check: expect200,
      },
    ],
  }
})

await runSuite({
  name: 'request-signing',
  description:
    'Verifying an RFC 9421 signature over @method, @target-uri and content-digest on a 1 KB JSON POST ' +
    '(API Gateway HTTP API v2 event), with the Content-Digest checked against the body: Lift ' +
    '`verifySignature` against the bare Middy handler and against http-message-signatures `verifyMessage` ' +
    '(plus a hand-written digest check) in a Middy handler. The limit is a hand-written handler doing only the ' +
    'digest, the signature base of this request and the node:crypto check.',
  groups,
})
