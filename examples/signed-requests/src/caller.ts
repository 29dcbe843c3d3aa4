import { type KeyInput, signRequest } from '@lift/request-signing'
import { createSecretsProvider } from '@lift/security-core'
import { CALLER_ENVIRONMENT, readEnvironment } from './config'
import { sharedSecretSigningKey } from './keys'

export interface CallerOptions {
  /** The callee's URL, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com/orders. */
  calleeUrl: string
  /** The key id the callee knows this caller by (it becomes the callee's principal id). */
  keyId: string
  /** The HMAC secret, fetched per call (the provider behind it caches). */
  signingKey: () => Promise<KeyInput>
  /** Default globalThis.fetch. */
  fetch?: typeof fetch
  /** Default 3000. */
  timeoutMs?: number
  /** Clock in epoch milliseconds, for `created`. Default Date.now. */
  now?: () => number
}

/** What the caller returns: the callee's status and its JSON (or text) body. */
export interface CallResult {
  status: number
  body: unknown
}

export type CallerHandler = (order: unknown) => Promise<CallResult>

/**
 * The caller: forwards its invocation payload (an order, any JSON object) to the callee as a POST, signed
 * with RFC 9421 over @method, @target-uri and the Content-Digest of the body, with a fresh nonce.
 */
export function createCaller(options: CallerOptions): CallerHandler {
  const send = options.fetch ?? fetch
  const timeoutMs = options.timeoutMs ?? 3000
  return async (order) => {
    if (typeof order !== 'object' || order === null || Array.isArray(order))
      throw new TypeError('The caller expects a JSON object as its payload')
    const body = JSON.stringify(order)
    const headers = { 'content-type': 'application/json' }
    const signature = signRequest(
      { method: 'POST', url: options.calleeUrl, headers, body },
      {
        keyId: options.keyId,
        key: await options.signingKey(),
        alg: 'hmac-sha256',
        nonce: true,
        ...(options.now ? { now: options.now } : {}),
      },
    )
    const response = await send(options.calleeUrl, {
      method: 'POST',
      headers: { ...headers, ...signature },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    })
    return { status: response.status, body: parseBody(await response.text()) }
  }
}

/** The caller configured from its environment (SIGNING_SECRET_ID, SIGNING_KEY_ID, CALLEE_URL). */
export function callerFromEnv(env: Readonly<Record<string, string | undefined>>): CallerHandler {
  const config = readEnvironment(env, CALLER_ENVIRONMENT)
  return createCaller({
    calleeUrl: config.CALLEE_URL,
    keyId: config.SIGNING_KEY_ID,
    signingKey: sharedSecretSigningKey(createSecretsProvider(), config.SIGNING_SECRET_ID),
  })
}

let deployed: CallerHandler | undefined

/** The Lambda entry point (invoked directly, e.g. `aws lambda invoke`): configured on the first call. */
export const handler: CallerHandler = (order) => {
  deployed ??= callerFromEnv(process.env)
  return deployed(order)
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}
