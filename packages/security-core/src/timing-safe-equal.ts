import { createHash, timingSafeEqual as nodeTimingSafeEqual } from 'node:crypto'

/**
 * Compares two strings or buffers in time independent of where they differ and of their lengths:
 * both sides are hashed first, so inputs of different length never short-circuit.
 * @example
 * ```ts
 * import { httpRequestView, timingSafeEqual } from '@lift/security-core'
 *
 * const expectedKey = process.env.PARTNER_API_KEY!
 * const view = httpRequestView(event)
 * const allowed = timingSafeEqual(view.header('x-api-key') ?? '', expectedKey)
 * ```
 */
export function timingSafeEqual(a: string | Uint8Array, b: string | Uint8Array): boolean {
  const bytesA = comparable(a)
  const bytesB = comparable(b)
  const digestA = createHash('sha256').update(bytesA).digest()
  const digestB = createHash('sha256').update(bytesB).digest()
  return (
    nodeTimingSafeEqual(digestA, digestB) &&
    byteLength(bytesA) === byteLength(bytesB) &&
    isIllFormed(a) === isIllFormed(b)
  )
}

// UTF-8 encodes every lone surrogate as U+FFFD, so distinct strings would compare equal: a string that is not
// well-formed is compared by its UTF-16 code units instead, and only ever equals another such string.
function comparable(value: string | Uint8Array): string | Uint8Array {
  return isIllFormed(value) ? Buffer.from(value as string, 'utf16le') : value
}

function isIllFormed(value: string | Uint8Array): boolean {
  return typeof value === 'string' && !(value as unknown as { isWellFormed(): boolean }).isWellFormed()
}

function byteLength(value: string | Uint8Array): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength
}
