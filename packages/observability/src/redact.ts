/** What replaces a redacted value. */
export const REDACTED = '[REDACTED]'

/** Field names (compared lower-case, `-`/`_` ignored) whose values are never logged. */
export const SENSITIVE_FIELDS: readonly string[] = Object.freeze([
  'authorization',
  'proxyauthorization',
  'cookie',
  'cookies',
  'setcookie',
  'signature',
  'signatureinput',
  'token',
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'idempotencykey',
  'secret',
  'clientsecret',
  'password',
  'passwd',
  'apikey',
  'xapikey',
  'xhealthtoken',
  'xhealthsecret',
  'credentials',
  'privatekey',
  'sessiontoken',
])

// A field whose name holds one of these is sensitive too, whatever the scheme names it around them:
// `x-hub-signature-256`, `webhook-signature`, `x-auth-token`, `x-amz-security-token`, `X-Amz-Credential`.
const SENSITIVE_PARTS: readonly string[] = [
  'authorization',
  'cookie',
  'signature',
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'credential',
  'privatekey',
]

// Credentials that can hide inside any string: JWT/JWS compact tokens, `Bearer …`/`Basic …` values,
// RFC 9421 signature values (`sig1=:…:`), webhook signatures (`v1=<hex>`), secret-looking query parameters,
// the whole value of an `Authorization:`/`Cookie:` header line (any scheme, every cookie), URL passwords.
const STRING_PATTERNS: readonly [RegExp, string][] = [
  [/\b((?:proxy-)?authorization|(?:set-)?cookie)(\s*:\s*)[^\r\n"]+/gi, `$1$2${REDACTED}`],
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]*:)[^\s/@]+@/gi, `$1${REDACTED}@`],
  [/eyJ[\w-]*\.[\w-]*\.[\w-]*/g, REDACTED],
  [/\b(Bearer|Basic|Digest)\s+[\w\-.~+/=]+/gi, `$1 ${REDACTED}`],
  [/([\w-]+=):[A-Za-z0-9+/=]+:/g, `$1${REDACTED}`],
  [/\b(v1|s|sig|signature)=[0-9a-f]{32,}/gi, `$1=${REDACTED}`],
  [/((?:^|[?&;])(?:code|key|sig)=)[^&\s#"']+/gi, `$1${REDACTED}`],
]

// `"password": "…"`, `password=…`, `'token': '…'`: a key/value pair inside a string (JSON bodies, query
// strings, messages) whose key is a sensitive field. A value already masked by a pattern above
// (`token=[REDACTED]`) is matched whole, so it is not masked a second time around its closing bracket.
const KEY_VALUE =
  /(["']?)([A-Za-z][\w-]{1,40})\1(\s*[:=]\s*)(\[REDACTED\]|"(?:[^"\\]|\\.)*"|'[^']*'|[^\s,&;"'}\]]+)/g

/**
 * Replaces sensitive fields and embedded credentials (tokens, keys, passwords) in values and text; made by `createRedactor`.
 */
export interface Redactor {
  /** A copy of `value` with sensitive fields and embedded credentials replaced; never mutates `value`. */
  value(value: unknown): unknown
  /** `text` with embedded credentials replaced. */
  text(text: string): string
}

const MAX_DEPTH = 8

/**
 * A redactor for the default sensitive fields plus `extraFields` (names compared as for the defaults).
 * @example
 * ```ts
 * import { Logger } from '@aws-lambda-powertools/logger'
 * import { createRedactor } from '@lift/observability'
 *
 * const logger = new Logger({ serviceName: 'payments' })
 * const redactor = createRedactor(['iban'])
 * logger.info('payment', { payment: redactor.value({ iban: 'DE89370400440532013000', amount: 12 }) })
 * ```
 */
export function createRedactor(extraFields: readonly string[] = []): Redactor {
  const fields = new Set([...SENSITIVE_FIELDS, ...extraFields.map(normalizeField)])
  const sensitive = (name: string) => {
    const normalized = normalizeField(name)
    return fields.has(normalized) || SENSITIVE_PARTS.some((part) => normalized.includes(part))
  }
  const text = (input: string) => {
    let output = input
    for (const [pattern, replacement] of STRING_PATTERNS) output = output.replace(pattern, replacement)
    return maskPairs(output, sensitive)
  }
  const walk = (input: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof input === 'string') return text(input)
    if (typeof input !== 'object' || input === null) return input
    if (seen.has(input) || depth > MAX_DEPTH) return '[…]'
    seen.add(input)
    if (Buffer.isBuffer(input)) return `[${input.length} bytes]`
    if (Array.isArray(input)) return input.map((item) => walk(item, depth + 1, seen))
    if (input instanceof Error || isErrorLike(input))
      return { name: input.name, message: text(input.message) }
    const output: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(input)) {
      output[key] = sensitive(key) ? REDACTED : walk(item, depth + 1, seen)
    }
    return output
  }
  return { value: (input) => walk(input, 0, new WeakSet()), text }
}

/**
 * Masks the value of each sensitive `key=value` pair. The value of a pair whose key is not sensitive is
 * scanned again, so `user: password=…` still masks the password.
 */
function maskPairs(input: string, sensitive: (name: string) => boolean): string {
  const pairs = new RegExp(KEY_VALUE)
  let output = ''
  let copied = 0
  for (let match = pairs.exec(input); match !== null; match = pairs.exec(input)) {
    const [pair, quote = '', key = '', separator = '', value = ''] = match
    const end = match.index + pair.length
    if (!sensitive(key)) {
      pairs.lastIndex = end - value.length
      continue
    }
    output += `${input.slice(copied, match.index)}${quote}${key}${quote}${separator}${masked(value)}`
    copied = end
  }
  return output + input.slice(copied)
}

function masked(value: string): string {
  if (value.startsWith('"')) return `"${REDACTED}"`
  if (value.startsWith("'")) return `'${REDACTED}'`
  return REDACTED
}

function normalizeField(name: string): string {
  return name.toLowerCase().replace(/[-_\s]/g, '')
}

function isErrorLike(value: object): value is { name: string; message: string; stack: string } {
  const error = value as { name?: unknown; message?: unknown; stack?: unknown }
  return (
    typeof error.name === 'string' && typeof error.message === 'string' && typeof error.stack === 'string'
  )
}
