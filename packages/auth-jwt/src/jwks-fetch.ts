import type { FetchImplementation } from 'jose'

/** The JWKS endpoint could not be used (network, timeout, status, size, not a key set): a 503, never a pass. */
export class JwksUnavailableError extends Error {
  override readonly name = 'JwksUnavailableError'
}

export interface JwksFetchOptions {
  readonly maxBytes: number
  /** Called when a fetch fails. */
  readonly onFailure: () => void
}

/**
 * A fetch for jose's createRemoteJWKSet that refuses bodies over `maxBytes` (checked while streaming, so
 * a huge response is never buffered), non-200 statuses and anything that is not a JSON key set. jose's
 * abort signal (its timeout) covers the body too.
 */
export function limitedJwksFetch(options: JwksFetchOptions): FetchImplementation {
  return async (url, init) => {
    try {
      const response = await fetch(url, init)
      if (response.status !== 200) {
        await response.body?.cancel()
        throw new JwksUnavailableError(`JWKS endpoint answered ${response.status}`)
      }
      const body = await readText(response, options.maxBytes)
      if (!isKeySet(body)) throw new JwksUnavailableError('JWKS response is not a JSON key set')
      return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } })
    } catch (error) {
      options.onFailure()
      throw error instanceof JwksUnavailableError
        ? error
        : new JwksUnavailableError('JWKS fetch failed', { cause: error })
    }
  }
}

async function readText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? 0)
  const tooLarge = () => new JwksUnavailableError(`JWKS response is larger than ${maxBytes} bytes`)
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

function isKeySet(body: string): boolean {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    return false
  }
  const keys = (value as { keys?: unknown } | null)?.keys
  return (
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Array.isArray(keys) &&
    keys.every((key) => typeof key === 'object' && key !== null && !Array.isArray(key))
  )
}
