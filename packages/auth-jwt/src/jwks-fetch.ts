import type { JSONWebKeySet } from 'jose'

/**
 * A key endpoint (JWKS or OIDC discovery document) could not be used: network, timeout, status, size, not
 * the expected document. Always a 503, never a pass.
 */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError'
}

export interface LimitedFetchOptions {
  readonly maxBytes: number
  readonly timeoutMs: number
}

/**
 * GETs `url` as JSON: redirects are not followed, anything but 200 is refused, the body is refused past
 * `maxBytes` (checked while streaming, so a huge response is never buffered) and the whole exchange,
 * body included, is aborted after `timeoutMs`.
 */
export async function fetchJson(url: string, options: LimitedFetchOptions): Promise<unknown> {
  try {
    const response = await fetch(url, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    })
    if (response.status !== 200) {
      await response.body?.cancel()
      throw new JwksUnavailableError(`key endpoint answered ${response.status}`)
    }
    const body = await readText(response, options.maxBytes)
    try {
      return JSON.parse(body)
    } catch {
      throw new JwksUnavailableError('key endpoint answered something that is not JSON')
    }
  } catch (error) {
    throw error instanceof JwksUnavailableError
      ? error
      : new JwksUnavailableError('key endpoint fetch failed', { cause: error })
  }
}

/** fetchJson() of a document that must be a JWK Set (an object whose `keys` is a list of objects). */
export async function fetchKeySet(url: string, options: LimitedFetchOptions): Promise<JSONWebKeySet> {
  const value = await fetchJson(url, options)
  if (!isKeySet(value)) throw new JwksUnavailableError('JWKS response is not a JSON key set')
  return value
}

async function readText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0)
  const tooLarge = () => new JwksUnavailableError(`key endpoint response is larger than ${maxBytes} bytes`)
  if (declared > maxBytes) {
    await response.body?.cancel()
    throw tooLarge()
  }
  const chunks: Uint8Array[] = []
  let size = 0
  if (response.body) {
    const reader = response.body.getReader()
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      size += chunk.value.byteLength
      if (size > maxBytes) {
        await reader.cancel()
        throw tooLarge()
      }
      chunks.push(chunk.value)
    }
  }
  return Buffer.concat(chunks).toString('utf8')
}

function isKeySet(value: unknown): value is JSONWebKeySet {
  const keys = (value as { keys?: unknown } | null)?.keys
  return (
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Array.isArray(keys) &&
    keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))
  )
}
