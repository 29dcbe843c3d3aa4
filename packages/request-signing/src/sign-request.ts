import { randomBytes } from 'node:crypto'
import { assertKnownOptions } from '@lift/security-core'
import {
  createSigner,
  isSignatureAlgorithm,
  type KeyInput,
  type SignatureAlgorithm,
  type Signer,
} from './algorithms'
import { contentDigest, type DigestAlgorithm } from './content-digest'
import { assertKeyPresent } from './key-presence'
import { type OutgoingRequest, signableFromUrl } from './message'
import { createSignatureBase } from './signature-base'
import {
  type BareItem,
  type Item,
  innerList,
  item,
  parseItem,
  serializeDictionary,
} from './structured-fields'

/**
 * Options of `signRequest()`: the key id, key and algorithm, the covered components, nonce and lifetime.
 * @example
 * ```ts
 * import { signRequest } from '@lift/request-signing'
 *
 * const request = { method: 'GET', url: 'https://orders.example.com/orders/o-1', headers: {} }
 * signRequest(request, { keyId: 'orders-caller', key: process.env.SIGNING_KEY!, alg: 'hmac-sha256', nonce: true })
 * ```
 */
export interface SignRequestOptions {
  keyId: string
  /** Private key (PEM, DER pkcs8, JWK, KeyObject) or the HMAC secret. */
  key: KeyInput
  alg: SignatureAlgorithm
  /** Covered components. Default @method, @target-uri, and content-digest when there is a body. */
  components?: readonly string[]
  /** A nonce string, or true for 16 random bytes (base64url). */
  nonce?: string | true
  /** Epoch seconds. Default now. */
  created?: number
  /** Epoch seconds. */
  expires?: number
  /** Signature label. Default 'sig1'. */
  label?: string
  tag?: string
  /** Add the `alg` parameter. Default false (the verifier's key fixes the algorithm). */
  includeAlg?: boolean
  /** Default 'sha-256'. */
  digest?: DigestAlgorithm
  /** Clock in epoch milliseconds, for `created`. Default Date.now. */
  now?: () => number
}

/** The headers `signRequest()` returns, to add to the request as they are. */
export interface SignedHeaders {
  'Signature-Input': string
  Signature: string
  'Content-Digest'?: string
}

const SIGN_REQUEST_OPTIONS = new Set([
  'keyId',
  'key',
  'alg',
  'components',
  'nonce',
  'created',
  'expires',
  'label',
  'tag',
  'includeAlg',
  'digest',
  'now',
])

const signers = new WeakMap<object, Map<SignatureAlgorithm, Signer>>()
const stringSigners = new Map<string, Signer>()
const MAX_STRING_SIGNERS = 64

/**
 * RFC 9421-signs an outgoing request and returns the headers to add (Signature-Input, Signature and, with a
 * body, Content-Digest). Works with fetch, undici or any client: pass the same method, URL, headers and body.
 * @example
 * ```ts
 * import { signRequest } from '@lift/request-signing'
 *
 * const body = JSON.stringify({ orderId: 'o-1' })
 * const url = 'https://orders.example.com/orders'
 * const signed = signRequest(
 *   { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
 *   { keyId: 'orders-caller', key: process.env.ORDERS_CALLER_KEY!, alg: 'hmac-sha256', nonce: true },
 * )
 * await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signed }, body })
 * ```
 */
export function signRequest(request: OutgoingRequest, options: SignRequestOptions): SignedHeaders {
  if (typeof options === 'object' && options !== null)
    assertKnownOptions('signRequest', options, SIGN_REQUEST_OPTIONS)
  if (typeof options?.keyId !== 'string' || options.keyId === '')
    throw new TypeError('signRequest: keyId is required')
  if (!isSignatureAlgorithm(options.alg))
    throw new TypeError(`signRequest: unsupported alg "${String(options.alg)}"`)
  assertKeyPresent(options.key, 'signRequest: key', SIGNING_KEY_WANTED[options.alg])
  if (options.digest !== undefined && options.digest !== 'sha-256' && options.digest !== 'sha-512')
    throw new TypeError("signRequest: digest must be 'sha-256' or 'sha-512'")
  const body = request.body
  const hasBody = body !== undefined && (typeof body === 'string' ? body.length > 0 : body.byteLength > 0)
  const components =
    options.components ??
    (hasBody ? ['@method', '@target-uri', 'content-digest'] : ['@method', '@target-uri'])
  const digest =
    hasBody || components.includes('content-digest') ? contentDigest(body ?? '', options.digest) : undefined
  const headers =
    digest === undefined ? request.headers : withHeader(request.headers, 'content-digest', digest)
  const signable = signableFromUrl(request.method, request.url, headers)
  const params = new Map<string, BareItem>()
  params.set('created', {
    type: 'integer',
    value: options.created ?? Math.floor((options.now ?? Date.now)() / 1000),
  })
  if (options.expires !== undefined) params.set('expires', { type: 'integer', value: options.expires })
  if (options.nonce !== undefined) {
    params.set('nonce', {
      type: 'string',
      value: options.nonce === true ? randomBytes(16).toString('base64url') : options.nonce,
    })
  }
  params.set('keyid', { type: 'string', value: options.keyId })
  if (options.includeAlg === true) params.set('alg', { type: 'string', value: options.alg })
  if (options.tag !== undefined) params.set('tag', { type: 'string', value: options.tag })
  const covered = innerList(components.map(componentItem), params)
  const base = createSignatureBase(signable, covered)
  const signature = signerFor(options.key, options.alg)(Buffer.from(base, 'utf8'))
  const label = options.label ?? 'sig1'
  const result: SignedHeaders = {
    'Signature-Input': serializeDictionary(new Map([[label, covered]])),
    Signature: serializeDictionary(new Map([[label, item({ type: 'binary', value: signature })]])),
  }
  if (digest !== undefined) result['Content-Digest'] = digest
  return result
}

/** A component given as 'content-type' or with parameters as in Signature-Input: '"@query-param";name="id"'. */
function componentItem(component: string): Item {
  if (component.startsWith('"')) return parseItem(component)
  return item({ type: 'string', value: component })
}

function withHeader(
  headers: OutgoingRequest['headers'],
  name: string,
  value: string,
): Record<string, string | readonly string[] | undefined> {
  const copy: Record<string, string | readonly string[] | undefined> = {}
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    for (const [n, v] of headers) copy[n] = v
  } else Object.assign(copy, headers ?? {})
  for (const existing of Object.keys(copy)) if (existing.toLowerCase() === name) delete copy[existing]
  copy[name] = value
  return copy
}

/** What `key` must hold for each algorithm, in error messages. */
const SIGNING_KEY_WANTED: Readonly<Record<SignatureAlgorithm, string>> = {
  'hmac-sha256': 'the shared HMAC secret (a string or bytes of at least 32 bytes)',
  ed25519: 'your Ed25519 private key (PEM, JWK or KeyObject)',
  'ecdsa-p256-sha256': 'your P-256 private key (PEM, JWK or KeyObject)',
  'rsa-pss-sha512': 'your RSA private key (PEM, JWK or KeyObject)',
}

function signerFor(key: KeyInput, alg: SignatureAlgorithm): Signer {
  if (typeof key === 'string') {
    const cacheKey = `${alg}\n${key}`
    let signer = stringSigners.get(cacheKey)
    if (signer === undefined) {
      signer = createSigner(key, alg)
      if (stringSigners.size >= MAX_STRING_SIGNERS)
        stringSigners.delete(stringSigners.keys().next().value as string)
      stringSigners.set(cacheKey, signer)
    }
    return signer
  }
  let byAlg = signers.get(key)
  if (byAlg === undefined) {
    byAlg = new Map()
    signers.set(key, byAlg)
  }
  let signer = byAlg.get(alg)
  if (signer === undefined) {
    signer = createSigner(key, alg)
    byAlg.set(alg, signer)
  }
  return signer
}
