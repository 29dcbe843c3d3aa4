import {
  createPrincipal,
  type HttpRequestView,
  httpRequestView,
  LiftHttpError,
  publishSecurityEvent,
  setPrincipal,
} from '@lift/security-core'
import type { MiddlewareObj } from '@middy/core'
import { createKeyLookup } from './keys'
import { type KeyLookup, verifyRfc9421 } from './rfc9421-verifier'
import type { VerificationResult } from './verification-result'
import {
  type ResolvedVerifyOptions,
  resolveVerifyOptions,
  type VerifySignatureOptions,
} from './verify-options'
import { verifyWebhook } from './webhook-verifier'

/**
 * Middy middleware that authenticates a request by its RFC 9421 HTTP Message Signature (or, with
 * `profile: 'webhook'`, a Stripe-style webhook signature) and sets a Principal with authMethod 'signature'.
 * Any failure is a 401 that does not say why; the reason goes to the `lift:security` channel.
 * @example
 * ```ts
 * import { verifySignature } from '@lift/request-signing'
 * import { requirePrincipal } from '@lift/security-core'
 * import middy from '@middy/core'
 * import httpErrorHandler from '@middy/http-error-handler'
 *
 * export const main = middy()
 *   .use(httpErrorHandler())
 *   .use(verifySignature({ keys: { 'billing-service': { key: process.env.BILLING_KEY!, alg: 'hmac-sha256' } } }))
 *   .handler(async (_event, context) => ({ statusCode: 200, body: requirePrincipal({ context }).id }))
 * ```
 */
export function verifySignature(options: VerifySignatureOptions): MiddlewareObj {
  const resolved = resolveVerifyOptions(options)
  const lookupKey = guarded(createKeyLookup(options.keys, 'verifySignature'))
  const verify = resolved.profile === 'webhook' ? verifyWebhook : verifyRfc9421

  return {
    before: async (request) => {
      const view = httpRequestView(request.event)
      const result = await runVerification(verify, view, request.event, resolved, lookupKey)
      const at = resolved.now()
      if (!result.ok) {
        publishDecision(result, view.requestId, at)
        throw unauthenticated()
      }
      const { entry, keyId } = result
      const principal = createPrincipal({
        id: entry.principalId ?? keyId,
        ...(entry.tenantId === undefined ? {} : { tenantId: entry.tenantId }),
        roles: [],
        scopes: [],
        authMethod: 'signature',
        claims: {
          keyid: keyId,
          alg: entry.alg,
          label: result.label,
          ...(result.tag === undefined ? {} : { tag: result.tag }),
        },
        expiresAt: result.expiresAt,
      })
      setPrincipal(request, principal)
      publishDecision(result, view.requestId, at)
    },
  }
}

export default verifySignature

class KeyUnavailableError extends Error {
  override readonly name = 'KeyUnavailableError'
}

function guarded(lookupKey: KeyLookup): KeyLookup {
  return async (keyId) => {
    try {
      return await lookupKey(keyId)
    } catch (cause) {
      throw new KeyUnavailableError('key lookup failed', { cause })
    }
  }
}

async function runVerification(
  verify: typeof verifyRfc9421,
  view: HttpRequestView,
  event: unknown,
  options: ResolvedVerifyOptions,
  lookupKey: KeyLookup,
): Promise<VerificationResult> {
  try {
    return await verify(view, options, lookupKey, event)
  } catch (error) {
    if (!(error instanceof KeyUnavailableError)) throw error
    // A resolver or Secrets Manager failure is ours, not the caller's: 503; the event records why.
    publishDecision({ ok: false, reason: 'key-unavailable' }, view.requestId, options.now())
    throw new LiftHttpError(503, {
      code: 'key-unavailable',
      detail: 'The request could not be authenticated right now.',
      cause: error.cause,
    })
  }
}

function publishDecision(result: VerificationResult, requestId: string | undefined, at: number): void {
  publishSecurityEvent(() => {
    const entry = result.entry
    const principalId = entry === undefined ? undefined : (entry.principalId ?? result.keyId)
    return {
      type: 'signature',
      outcome: result.ok ? 'allow' : 'deny',
      reason: result.ok ? 'verified' : result.reason,
      ...(requestId === undefined ? {} : { requestId }),
      ...(principalId === undefined ? {} : { principalId }),
      ...(entry?.tenantId === undefined ? {} : { tenantId: entry.tenantId }),
      at,
      ...(result.keyId === undefined ? {} : { detail: { keyid: result.keyId } }),
    }
  })
}

function unauthenticated(): LiftHttpError {
  return new LiftHttpError(401, {
    code: 'unauthenticated',
    detail: 'Authentication is required.',
    headers: { 'WWW-Authenticate': 'Signature' },
  })
}
