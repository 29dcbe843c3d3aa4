import { assertKnownOptions } from '@lift/security-core'
import type { DigestAlgorithm } from './content-digest'
import type { KeySource } from './keys'
import type { NonceStore } from './nonce-store'
import type { StructuredFieldType } from './signature-base'
import { parseItem, serializeItem } from './structured-fields'

/**
 * Options of `verifySignature()`: the keys (required), the profile, the components a signature must cover,
 * its accepted age, and replay protection.
 * @example
 * ```ts
 * import { memoryNonceStore, verifySignature } from '@lift/request-signing'
 *
 * verifySignature({
 *   keys: { 'orders-caller': { key: process.env.ORDERS_CALLER_KEY!, alg: 'hmac-sha256', principalId: 'orders' } },
 *   requiredComponents: ['@method', '@target-uri', 'content-digest'],
 *   maxAgeSec: 120,
 *   nonce: { required: true, store: memoryNonceStore() },
 * })
 * ```
 */
export interface VerifySignatureOptions {
  /** keyid → { key, alg, principalId?, tenantId? }, as a map or an (async) resolver. Required. */
  keys: KeySource
  /** 'rfc9421' (default): HTTP Message Signatures. 'webhook': Stripe-style `t=…,v1=…` HMAC. */
  profile?: 'rfc9421' | 'webhook'
  /**
   * Components every accepted signature must cover: a name ('@path', 'content-type') is covered with any
   * parameters; one written as in Signature-Input ('"@query-param";name="id"') only exactly so.
   * Default: @method, @target-uri, and content-digest with a body.
   */
  requiredComponents?: readonly string[]
  /** Only this Signature-Input label is considered; default any label that satisfies the policy. */
  label?: string
  /** Oldest accepted `created` (and webhook `t`), in seconds. Default 300. */
  maxAgeSec?: number
  /** Tolerated clock difference with the signer, in seconds. Default 30. */
  clockSkewSec?: number
  /** Replay protection: every nonce (or webhook delivery: `t` and body) is accepted once. */
  nonce?: { store: NonceStore; required?: boolean }
  /** Scheme and authority for @target-uri/@authority/@scheme, e.g. 'https://api.example.com'. Default from the request. */
  origin?: string
  /** Content-Digest algorithms accepted. Default ['sha-256', 'sha-512']. */
  digestAlgorithms?: readonly DigestAlgorithm[]
  /** Structured types of fields signed with `;sf` beyond those RFC 9421 knows. */
  structuredFields?: Readonly<Record<string, StructuredFieldType>>
  /** Longest Signature / Signature-Input (or webhook) header accepted, in bytes. Default 8192. */
  maxHeaderBytes?: number
  /** Most signatures examined on one request. Default 5. */
  maxSignatures?: number
  /** Webhook profile: header name (default 'stripe-signature') and the key id looked up in `keys` (default 'webhook'). */
  webhook?: { header?: string; keyId?: string }
  /** Clock in epoch milliseconds. Default Date.now. */
  now?: () => number
}

/**
 * Defaults of `verifySignature()`: RFC 9421, signatures up to 300 s old with 30 s of clock skew, SHA-256/512 digests.
 */
export const verifySignatureDefaults = Object.freeze({
  profile: 'rfc9421' as const,
  maxAgeSec: 300,
  clockSkewSec: 30,
  digestAlgorithms: Object.freeze(['sha-256', 'sha-512'] as const),
  maxHeaderBytes: 8192,
  maxSignatures: 5,
  webhookHeader: 'stripe-signature',
  webhookKeyId: 'webhook',
})

export interface ResolvedVerifyOptions {
  profile: 'rfc9421' | 'webhook'
  requiredComponents: readonly string[] | undefined
  label: string | undefined
  maxAgeSec: number
  clockSkewSec: number
  nonceStore: NonceStore | undefined
  nonceRequired: boolean
  origin: { scheme: string; authority: string } | undefined
  digestAlgorithms: readonly DigestAlgorithm[]
  structuredFields: Readonly<Record<string, StructuredFieldType>>
  maxHeaderBytes: number
  maxSignatures: number
  webhookHeader: string
  webhookKeyId: string
  now: () => number
}

const OPTION_NAMES = new Set([
  'keys',
  'profile',
  'requiredComponents',
  'label',
  'maxAgeSec',
  'clockSkewSec',
  'nonce',
  'origin',
  'digestAlgorithms',
  'structuredFields',
  'maxHeaderBytes',
  'maxSignatures',
  'webhook',
  'now',
])

export function resolveVerifyOptions(options: VerifySignatureOptions): ResolvedVerifyOptions {
  if (typeof options !== 'object' || options === null) fail('options must be an object')
  for (const name of Object.keys(options)) if (!OPTION_NAMES.has(name)) fail(`unknown option "${name}"`)
  const d = verifySignatureDefaults
  const profile = options.profile ?? d.profile
  if (profile !== 'rfc9421' && profile !== 'webhook') fail(`profile must be 'rfc9421' or 'webhook'`)
  const requiredComponents =
    options.requiredComponents === undefined ? undefined : resolveRequired(options.requiredComponents)
  if (options.label !== undefined && !/^[a-z*][a-z0-9_\-.*]*$/.test(options.label))
    fail('label must be a structured-field key')
  const maxAgeSec = seconds('maxAgeSec', options.maxAgeSec ?? d.maxAgeSec)
  const clockSkewSec = seconds('clockSkewSec', options.clockSkewSec ?? d.clockSkewSec)
  const nonce = options.nonce
  if (nonce !== undefined) {
    if (typeof nonce?.store?.claim !== 'function') fail('nonce.store must have a claim() method')
    assertKnownOptions('verifySignature', nonce, NONCE_OPTION_NAMES, 'nonce.')
    if (nonce.required !== undefined && typeof nonce.required !== 'boolean')
      fail('nonce.required must be a boolean')
  }
  const digestAlgorithms = options.digestAlgorithms ?? d.digestAlgorithms
  if (
    !Array.isArray(digestAlgorithms) ||
    digestAlgorithms.length === 0 ||
    !digestAlgorithms.every((a) => a === 'sha-256' || a === 'sha-512')
  ) {
    fail("digestAlgorithms must list 'sha-256' and/or 'sha-512'")
  }
  const structuredFields = options.structuredFields ?? {}
  for (const [name, type] of Object.entries(structuredFields)) {
    if (name !== name.toLowerCase() || !STRUCTURED_TYPES.has(type))
      fail(
        `structuredFields["${name}"] must be a lower-case field name mapped to 'item', 'list' or 'dictionary'`,
      )
  }
  const maxHeaderBytes = positiveInteger('maxHeaderBytes', options.maxHeaderBytes ?? d.maxHeaderBytes)
  const maxSignatures = positiveInteger('maxSignatures', options.maxSignatures ?? d.maxSignatures)
  if (options.now !== undefined && typeof options.now !== 'function') fail('now must be a function')
  if (options.webhook !== undefined) {
    if (typeof options.webhook !== 'object' || options.webhook === null) fail('webhook must be an object')
    assertKnownOptions('verifySignature', options.webhook, WEBHOOK_OPTION_NAMES, 'webhook.')
  }
  const webhookHeader = nonEmpty('webhook.header', options.webhook?.header ?? d.webhookHeader).toLowerCase()
  const webhookKeyId = nonEmpty('webhook.keyId', options.webhook?.keyId ?? d.webhookKeyId)
  return {
    profile,
    requiredComponents,
    label: options.label,
    maxAgeSec,
    clockSkewSec,
    nonceStore: nonce?.store,
    nonceRequired: nonce?.required === true,
    origin: options.origin === undefined ? undefined : parseOrigin(options.origin),
    digestAlgorithms,
    structuredFields,
    maxHeaderBytes,
    maxSignatures,
    webhookHeader,
    webhookKeyId,
    now: options.now ?? Date.now,
  }
}

const NONCE_OPTION_NAMES = new Set(['store', 'required'])
const WEBHOOK_OPTION_NAMES = new Set(['header', 'keyId'])
const STRUCTURED_TYPES = new Set<unknown>(['item', 'list', 'dictionary'])

function nonEmpty(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') fail(`${name} must be a non-empty string`)
  return value
}

function resolveRequired(components: unknown): readonly string[] {
  if (!Array.isArray(components) || !components.every((c) => typeof c === 'string' && c !== ''))
    fail('requiredComponents must be an array of component names')
  return components.map((component: string) => {
    if (!component.startsWith('"')) {
      if (component === '@query-param')
        fail(`requiredComponents: name the parameter, e.g. '"@query-param";name="id"'`)
      if (component !== component.toLowerCase())
        fail(`requiredComponents: "${component}" must be lower-case (RFC 9421 §2.1)`)
      return component
    }
    try {
      const parsed = parseItem(component)
      if (parsed.value.type === 'string') return serializeItem(parsed)
    } catch {}
    return fail(`requiredComponents: "${component}" is not a component identifier`)
  })
}

function parseOrigin(origin: string): { scheme: string; authority: string } {
  let url: URL
  try {
    url = new URL(origin)
  } catch {
    return fail('origin must be an absolute URL such as https://api.example.com')
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    fail('origin must not have a path or query')
  return { scheme: url.protocol.slice(0, -1), authority: url.host }
}

function seconds(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    fail(`${name} must be a number of seconds >= 0`)
  return value
}

function positiveInteger(name: string, value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1) fail(`${name} must be a positive integer`)
  return value as number
}

function fail(message: string): never {
  throw new TypeError(`verifySignature: ${message}`)
}
