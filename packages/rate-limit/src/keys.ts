import { createHash } from 'node:crypto'
import { isIPv6 } from 'node:net'
import type { HttpRequestView, Principal } from '@lift/security-core'

/** What a request is counted under. A function gets the request view and the principal (if any). */
export type RateLimitKey =
  | 'principal'
  | 'tenant'
  | 'ip'
  | ((view: HttpRequestView, principal: Principal | undefined) => string)

/** A key could not be derived because the configuration does not fit the request (a server-side problem). */
export class KeyUnavailableError extends Error {
  override readonly name = 'KeyUnavailableError'
}

const MAX_PLAIN_KEY_CHARS = 128
// Characters a stored key may carry as they are: letters, digits and `_ . : @ / + = -` (ASCII only).
const PLAIN_KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:@/+=-'
// 1 for each plain character code; built on first use, so that importing the module runs nothing.
let plainKeyChars: Uint8Array | undefined
const MAX_RAW_KEY_CHARS = 4096

/** A key function returned an empty or oversized key: it comes from the request, so the client's fault (400). */
export class InvalidKeyError extends Error {
  override readonly name = 'InvalidKeyError'
  constructor(readonly rawKey: string) {
    super(
      `rateLimit: the key function returned an empty key or one longer than ${MAX_RAW_KEY_CHARS} characters`,
    )
  }
}

/** The raw key of a request: `principal:<id>`, `tenant:<id>`, `ip:<source ip>`, or the function's string. */
export function rawKey(key: RateLimitKey, view: HttpRequestView, principal: Principal | undefined): string {
  if (key === 'ip') return ipKey(view.sourceIp)
  if (key === 'principal') {
    if (principal === undefined)
      throw new KeyUnavailableError(
        "rateLimit: key 'principal' needs an authenticated principal (request.context.principal): put rateLimit after the authentication middleware, or use a key function with a fallback for anonymous requests",
      )
    return `principal:${principal.id}`
  }
  if (key === 'tenant') {
    if (principal?.tenantId === undefined)
      throw new KeyUnavailableError(
        "rateLimit: key 'tenant' needs a principal with a tenantId: put rateLimit after the authentication middleware that sets it",
      )
    return `tenant:${principal.tenantId}`
  }
  const value: unknown = key(view, principal)
  if (typeof value !== 'string')
    throw new KeyUnavailableError(`rateLimit: the key function must return a string, not ${typeof value}`)
  // Keys are made of request data (a header, a path segment): an empty or huge one is the client's doing.
  if (value === '' || value.length > MAX_RAW_KEY_CHARS)
    throw new InvalidKeyError(value.slice(0, MAX_RAW_KEY_CHARS))
  return value
}

/**
 * `ip:<address>` for IPv4; for IPv6 `ip:<first four groups>::/64`, since every IPv6 client holds at least a /64
 * and could otherwise take a fresh counter per request. An IPv4-mapped address (`::ffff:192.0.2.1`) is its IPv4.
 */
function ipKey(sourceIp: string | undefined): string {
  if (sourceIp === undefined) return 'ip:unknown'
  // Every IPv6 address has a ':', no IPv4 address has one: the common case skips the IPv6 parser.
  if (!sourceIp.includes(':') || !isIPv6(sourceIp)) return `ip:${sourceIp}`
  const groups = ipv6Groups(sourceIp)
  if (groups.slice(0, 6).join(':') === '0:0:0:0:0:65535') {
    const [high = 0, low = 0] = groups.slice(6)
    return `ip:${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`
  }
  return `ip:${groups
    .slice(0, 4)
    .map((group) => group.toString(16))
    .join(':')}::/64`
}

/** The eight 16-bit groups of an IPv6 address (the URL parser expands an IPv4 tail; a zone is dropped). */
function ipv6Groups(address: string): number[] {
  const zone = address.indexOf('%')
  const canonical = new URL(`http://[${zone < 0 ? address : address.slice(0, zone)}]/`).hostname.slice(1, -1)
  const [head = '', tail] = canonical.split('::')
  const parse = (part: string) =>
    part === '' ? [] : part.split(':').map((group) => Number.parseInt(group, 16))
  const left = parse(head)
  if (tail === undefined) return left
  const right = parse(tail)
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right]
}

/**
 * The key as stored: `k:<raw>` when it is short and made of safe characters, otherwise `h:<sha-256 of the
 * UTF-8, base64url>`, or `u:<sha-256 of the UTF-16 code units>` for a string with a lone surrogate (UTF-8
 * would turn every lone surrogate into U+FFFD, so keys differing only in them would share a counter). The
 * prefixes cannot collide, and no request can smuggle separators or control characters into a stored key.
 */
export function storeKey(raw: string): string {
  if (isPlainKey(raw)) return `k:${raw}`
  return wellFormed(raw) ? `h:${sha256(raw).digest('base64url')}` : `u:${sha256(raw).digest('base64url')}`
}

/** The key as events show it: the first 16 hex digits of its SHA-256, never the raw key. */
export function keyDigest(raw: string): string {
  return sha256(raw).digest('hex').slice(0, 16)
}

/** SHA-256 of the UTF-8 of a well-formed string, of its UTF-16 code units otherwise (lossless either way). */
function sha256(raw: string) {
  const hash = createHash('sha256')
  return wellFormed(raw) ? hash.update(raw, 'utf8') : hash.update(Buffer.from(raw, 'utf16le'))
}

function wellFormed(raw: string): boolean {
  return (raw as string & { isWellFormed(): boolean }).isWellFormed()
}

/** Same as /^[A-Za-z0-9_.:@/+=-]{1,128}$/, without a regular expression call on every request. */
function isPlainKey(raw: string): boolean {
  if (raw.length === 0 || raw.length > MAX_PLAIN_KEY_CHARS) return false
  plainKeyChars ??= plainKeyTable()
  const plain = plainKeyChars
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i)
    if (code >= 128 || plain[code] === 0) return false
  }
  return true
}

function plainKeyTable(): Uint8Array {
  const table = new Uint8Array(128)
  for (let i = 0; i < PLAIN_KEY_ALPHABET.length; i++) table[PLAIN_KEY_ALPHABET.charCodeAt(i)] = 1
  return table
}
