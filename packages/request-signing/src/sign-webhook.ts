import { createHmac } from 'node:crypto'
import { assertKnownOptions } from '@lift/security-core'
import { assertKeyPresent } from './key-presence'

/**
 * Options of `signWebhook()`: the secret (several during a rotation) and the timestamp.
 * @example
 * ```ts
 * import { signWebhook } from '@lift/request-signing'
 *
 * const body = JSON.stringify({ type: 'invoice.paid' })
 * // during a rotation, one v1= per secret: receivers that know either one accept the delivery
 * signWebhook(body, { secret: [process.env.WEBHOOK_SECRET!, process.env.WEBHOOK_SECRET_PREVIOUS!] })
 * ```
 */
export interface SignWebhookOptions {
  /** One secret, or several during a rotation (one v1 per secret). */
  secret: string | Uint8Array | readonly (string | Uint8Array)[]
  /** Epoch seconds. Default now. */
  timestamp?: number
  now?: () => number
}

const SIGN_WEBHOOK_OPTIONS = new Set(['secret', 'timestamp', 'now'])

/**
 * The Stripe-style header value `t=<unix>,v1=<hex HMAC-SHA256("<t>.<body>")>` for a webhook delivery.
 * @example
 * ```ts
 * import { signWebhook } from '@lift/request-signing'
 *
 * const secret = process.env.WEBHOOK_SECRET!
 * const hookUrl = 'https://partner.example.com/webhooks/billing'
 * const body = JSON.stringify({ type: 'invoice.paid' })
 * await fetch(hookUrl, { method: 'POST', headers: { 'Stripe-Signature': signWebhook(body, { secret }) }, body })
 * ```
 */
export function signWebhook(body: string | Uint8Array, options: SignWebhookOptions): string {
  assertKnownOptions('signWebhook', options, SIGN_WEBHOOK_OPTIONS)
  const timestamp = options.timestamp ?? Math.floor((options.now ?? Date.now)() / 1000)
  const secrets = Array.isArray(options.secret) ? options.secret : [options.secret as string | Uint8Array]
  if (secrets.length === 0) throw new TypeError('signWebhook: secret is required')
  secrets.forEach((secret, index) => {
    const where = `signWebhook: secret${Array.isArray(options.secret) ? `[${index}]` : ''}`
    assertKeyPresent(secret, where, "the endpoint's webhook signing secret (a string or bytes)")
  })
  const signatures = secrets.map(
    (secret) => `v1=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`,
  )
  return [`t=${timestamp}`, ...signatures].join(',')
}
