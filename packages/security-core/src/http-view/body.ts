import { LiftHttpError } from '../errors'

/**
 * The raw request body as bytes: a string body is base64-decoded when `isBase64Encoded` is true, else taken as
 * UTF-8; a Uint8Array is copied; anything else (no body, or an object a body parser already put there) is
 * undefined. A body that claims base64 but is not canonical standard base64 is the caller's fault: 400.
 */
export function decodeBody(body: unknown, isBase64Encoded: boolean): Buffer | undefined {
  if (typeof body === 'string') {
    if (!isBase64Encoded) return Buffer.from(body, 'utf8')
    if (!isStrictBase64(body)) {
      throw new LiftHttpError(400, {
        code: 'invalid-body-encoding',
        detail: 'The request body is marked as base64-encoded but is not valid base64.',
      })
    }
    return Buffer.from(body, 'base64')
  }
  if (body instanceof Uint8Array) return Buffer.from(body)
  return undefined
}

// Node's base64 decoder skips characters outside the alphabet, so it cannot be the validator. Both checks
// below are single linear scans (the regex has one anchored loop, no nested quantifier to backtrack into).
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** RFC 4648 §4 standard alphabet, padding optional but correct when present, zero pad bits (canonical). */
export function isStrictBase64(text: string): boolean {
  if (!BASE64_CHARS.test(text)) return false
  let dataLength = text.length
  while (dataLength > 0 && text.charCodeAt(dataLength - 1) === 0x3d /* '=' */) dataLength--
  const padded = dataLength !== text.length
  const remainder = dataLength % 4
  if (remainder === 1 || (padded && text.length % 4 !== 0)) return false
  if (remainder === 0) return true
  // The last character of a partial quantum carries bits past the final byte; they must be zero.
  const lastValue = ALPHABET.indexOf(text.charAt(dataLength - 1))
  return (lastValue & (remainder === 2 ? 0x0f : 0x03)) === 0
}
