import { isUtf8 } from 'node:buffer'
import { reject } from './rejection'

export type JsonObject = Record<string, unknown>

export interface DecodedToken {
  readonly header: JsonObject
  readonly payload: JsonObject
  /** `base64url(header) + '.' + base64url(payload)`, the bytes the signature covers. */
  readonly signingInput: Buffer
  readonly signature: Buffer
}

/** Claims nested deeper than this are refused (it bounds every later recursive walk over the claims). */
export const MAX_JSON_DEPTH = 64

// Three segments of the URL-safe base64 alphabet: no padding, no whitespace, no fourth or fifth part.
const COMPACT_JWS = /^[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*$/

/**
 * Splits and decodes a compact JWS without trusting anything in it. Refuses (TokenRejection) oversized
 * input before looking at it, JWE (five parts), anything but three strict base64url segments (no padding,
 * no whitespace), invalid UTF-8, JSON that is not an object, and claims nested deeper than MAX_JSON_DEPTH.
 */
export function decodeToken(token: string, maxTokenBytes: number): DecodedToken {
  if (token.length > maxTokenBytes) reject('token-too-large')
  if (!COMPACT_JWS.test(token))
    reject(token.split('.').length === 5 ? 'jwe-not-supported' : 'token-malformed')
  const firstDot = token.indexOf('.')
  const secondDot = token.indexOf('.', firstDot + 1)
  const encodedHeader = token.slice(0, firstDot)
  const encodedPayload = token.slice(firstDot + 1, secondDot)
  const encodedSignature = token.slice(secondDot + 1)
  if (!wholeBytes(encodedHeader) || !wholeBytes(encodedPayload) || !wholeBytes(encodedSignature)) {
    reject('token-malformed')
  }
  const payloadJson = decodeJsonText(encodedPayload)
  if (exceedsDepth(payloadJson, MAX_JSON_DEPTH)) reject('token-malformed')
  return {
    header: parseObject(decodeJsonText(encodedHeader)),
    payload: parseObject(payloadJson),
    signingInput: Buffer.from(token.slice(0, secondDot), 'latin1'),
    signature: Buffer.from(encodedSignature, 'base64url'),
  }
}

/** A base64url segment length that encodes whole bytes (never 1 more than a multiple of 4). */
function wholeBytes(segment: string): boolean {
  return segment.length % 4 !== 1
}

/** UTF-8 text of a segment; invalid UTF-8 is refused and a leading BOM dropped, as jose's decoder does. */
function decodeJsonText(segment: string): string {
  const bytes = Buffer.from(segment, 'base64url')
  if (!isUtf8(bytes)) reject('token-malformed')
  const text = bytes.toString('utf8')
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
}

function parseObject(json: string): JsonObject {
  let value: unknown
  try {
    value = JSON.parse(json)
  } catch {
    reject('token-malformed')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) reject('token-malformed')
  return value as JsonObject
}

/** Nesting depth of JSON text, ignoring brackets inside strings; stops as soon as `limit` is passed. */
function exceedsDepth(json: string, limit: number): boolean {
  let depth = 0
  let inString = false
  for (let i = 0; i < json.length; i++) {
    const code = json.charCodeAt(i)
    if (inString) {
      if (code === 0x5c) i++
      else if (code === 0x22) inString = false
    } else if (code === 0x22) inString = true
    else if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return true
    } else if (code === 0x7d || code === 0x5d) depth--
  }
  return false
}
