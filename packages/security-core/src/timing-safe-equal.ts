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
  const digestA = createHash('sha256').update(a).digest()
  const digestB = createHash('sha256').update(b).digest()
  return nodeTimingSafeEqual(digestA, digestB) && byteLength(a) === byteLength(b)
}

function byteLength(value: string | Uint8Array): number {
  return typeof value === 'string' ? Buffer.byteLength(value) : value.byteLength
}
