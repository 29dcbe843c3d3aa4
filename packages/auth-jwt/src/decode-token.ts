import { isUtf8 } from 'node:buffer'
import { reject } from './rejection'

export type JsonObject = Record<string, unknown>

export interface DecodedToken {
  readonly header: JsonObject
  readonly payload: JsonObject
  /** `base64url(header) + '.' + base64url(payload)`, the bytes the signature covers. */
  readonly signingInput: string
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
  const payload = parseObject(payloadJson)
  // V8's JSON.parse is iterative, so parsing first is safe. JSON nested deeper than the limit needs more
  // than `limit` opening brackets (two characters per level), so most claims need no character-by-character scan.
  if (
    payloadJson.length > 2 * MAX_JSON_DEPTH &&
    !fewOpeningBrackets(payloadJson, MAX_JSON_DEPTH) &&
    exceedsDepth(payloadJson, MAX_JSON_DEPTH)
  ) {
    reject('token-malformed')
  }
  return {
    header: parseHeader(encodedHeader),
    payload,
    signingInput: token.slice(0, secondDot),
    signature: Buffer.from(encodedSignature, 'base64url'),
  }
}

// The tokens of one issuer share their header segment byte for byte, so its parse (about 0.7 µs) is done
// once: the same bytes always decode to the same (frozen) header. Bounded in count and segment length.
const parsedHeaders = new Map<string, JsonObject>()
const MAX_PARSED_HEADERS = 64
const MAX_CACHED_HEADER_CHARS = 512

function parseHeader(segment: string): JsonObject {
  const cached = parsedHeaders.get(segment)
  if (cached !== undefined) return cached
  const header = parseObject(decodeJsonText(segment))
  if (segment.length > MAX_CACHED_HEADER_CHARS) return header
  if (parsedHeaders.size >= MAX_PARSED_HEADERS) parsedHeaders.clear()
  parsedHeaders.set(segment, deepFreeze(header))
  return header
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item)
    Object.freeze(value)
  }
  return value
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

/** At most `limit` `{` and `[` in all: the nesting cannot be deeper. indexOf scans natively. */
function fewOpeningBrackets(json: string, limit: number): boolean {
  let count = 0
  for (let at = json.indexOf('{'); at !== -1; at = json.indexOf('{', at + 1))
    if (++count > limit) return false
  for (let at = json.indexOf('['); at !== -1; at = json.indexOf('[', at + 1))
    if (++count > limit) return false
  return true
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
