import { createHash } from 'node:crypto'
import type { HttpRequestView } from '@lift/security-core'
import { verifyingKey } from './key-refetch'
import type { KeyLookup } from './rfc9421-verifier'
import { denied, type VerificationResult } from './verification-result'
import type { ResolvedVerifyOptions } from './verify-options'

const MAX_ELEMENTS = 16
const TIMESTAMP = /^[0-9]{1,12}$/
const HEX_SHA256 = /^[0-9a-f]{64}$/

/**
 * The Stripe-style webhook scheme: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, with several
 * v1 values while the sender rotates its secret. Any v1 that matches any configured secret is accepted.
 */
export async function verifyWebhook(
  view: HttpRequestView,
  options: ResolvedVerifyOptions,
  lookupKey: KeyLookup,
): Promise<VerificationResult> {
  const header = view.header(options.webhookHeader)
  if (header === undefined) return denied('signature-missing')
  if (Buffer.byteLength(header) > options.maxHeaderBytes) return denied('header-too-large')
  const parsed = parseWebhookHeader(header)
  if (parsed === undefined) return denied('malformed-signature-header')
  const now = options.now() / 1000
  if (parsed.timestamp > now + options.clockSkewSec) return denied('created-in-future')
  if (now - parsed.timestamp > options.maxAgeSec + options.clockSkewSec) return denied('signature-too-old')
  const keyId = options.webhookKeyId
  const resolved = await lookupKey(keyId)
  if (resolved === undefined) return denied('unknown-keyid', keyId)
  if (resolved.entry.alg !== 'hmac-sha256') return denied('alg-mismatch', keyId, resolved.entry)
  const body = view.rawBody ?? Buffer.alloc(0)
  const signed = Buffer.concat([Buffer.from(`${parsed.timestamp}.`, 'utf8'), body])
  const verified = await verifyingKey(resolved, keyId, lookupKey, ({ verifiers }) =>
    parsed.signatures.some((signature) => verifiers.some((verify) => verify(signed, signature))),
  )
  if (verified === undefined) return denied('bad-signature', keyId, resolved.entry)
  const { entry } = verified
  const expiresAt = parsed.timestamp + options.maxAgeSec
  if (options.nonceStore !== undefined) {
    // The delivery is what was signed ("<t>.<body>"), not the v1 that matched: during a rotation several v1
    // values verify, and a replay that presents another one (or drops one) is the same delivery.
    const claimed = await options.nonceStore.claim(
      JSON.stringify(['webhook', keyId, createHash('sha256').update(signed).digest('hex')]),
      (expiresAt + options.clockSkewSec) * 1000,
      options.now(),
    )
    if (!claimed) return denied('nonce-replayed', keyId, entry)
  }
  return { ok: true, keyId, entry, label: 'v1', expiresAt }
}

interface WebhookHeader {
  timestamp: number
  signatures: Buffer[]
}

function parseWebhookHeader(header: string): WebhookHeader | undefined {
  const elements = header.split(',')
  if (elements.length > MAX_ELEMENTS) return undefined
  let timestamp: number | undefined
  const signatures: Buffer[] = []
  for (const element of elements) {
    const separator = element.indexOf('=')
    if (separator <= 0) return undefined
    const name = element.slice(0, separator).trim()
    const value = element.slice(separator + 1).trim()
    if (name === 't') {
      if (timestamp !== undefined || !TIMESTAMP.test(value)) return undefined
      timestamp = Number(value)
    } else if (name === 'v1') {
      if (!HEX_SHA256.test(value)) return undefined
      signatures.push(Buffer.from(value, 'hex'))
    }
  }
  if (timestamp === undefined || signatures.length === 0) return undefined
  return { timestamp, signatures }
}
