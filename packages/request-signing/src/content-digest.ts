import { createHash, timingSafeEqual } from 'node:crypto'
import { parseDictionary } from './structured-fields'

/** A `Content-Digest` algorithm (RFC 9530): `sha-256` or `sha-512`. */
export type DigestAlgorithm = 'sha-256' | 'sha-512'

const HASHES: Readonly<Record<DigestAlgorithm, string>> = { 'sha-256': 'sha256', 'sha-512': 'sha512' }

/**
 * RFC 9530 `Content-Digest` field value for `body`.
 * @example
 * ```ts
 * import { contentDigest } from '@lift/request-signing'
 *
 * const body = JSON.stringify({ orderId: 'o-1', qty: 2 })
 * const headers = { 'Content-Digest': contentDigest(body) } // 'sha-256=:…:'
 * ```
 */
export function contentDigest(body: string | Uint8Array, algorithm: DigestAlgorithm = 'sha-256'): string {
  return `${algorithm}=:${createHash(HASHES[algorithm]).update(body).digest('base64')}:`
}

/**
 * Checks a Content-Digest field against the body: every member with an algorithm we support must match and
 * at least one must be present. Unknown algorithms are ignored (RFC 9530 §2); malformed fields fail.
 * @example
 * ```ts
 * import { contentDigestMatches } from '@lift/request-signing'
 * import { httpRequestView } from '@lift/security-core'
 *
 * const view = httpRequestView(event)
 * const ok = contentDigestMatches(view.header('content-digest') ?? '', view.rawBody ?? Buffer.alloc(0))
 * ```
 */
export function contentDigestMatches(
  field: string,
  body: Uint8Array,
  accepted: readonly DigestAlgorithm[] = ['sha-256', 'sha-512'],
): boolean {
  let dictionary: ReturnType<typeof parseDictionary>
  try {
    dictionary = parseDictionary(field, { rejectDuplicateKeys: true })
  } catch {
    return false
  }
  let checked = 0
  for (const [name, member] of dictionary) {
    if (!(accepted as readonly string[]).includes(name)) continue
    if (member.kind !== 'item' || member.value.type !== 'binary') return false
    const expected = createHash(HASHES[name as DigestAlgorithm])
      .update(body)
      .digest()
    const received = member.value.value
    if (received.byteLength !== expected.byteLength || !timingSafeEqual(expected, received)) return false
    checked += 1
  }
  return checked > 0
}
