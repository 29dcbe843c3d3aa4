import { isUtf8 } from 'node:buffer'

/**
 * The event as `logEvent` logs it, before redaction: a base64 body (Function URLs and HTTP APIs encode every
 * body that is not JSON or text/*, form posts included) is decoded when it is UTF-8 text, so that the
 * redactor can mask what it holds, and is `[N bytes]` otherwise, like a Buffer.
 */
export function loggedEvent(event: unknown): unknown {
  const { body, isBase64Encoded } = (event ?? {}) as { body?: unknown; isBase64Encoded?: unknown }
  if (isBase64Encoded !== true || typeof body !== 'string') return event
  const bytes = Buffer.from(body, 'base64')
  return { ...(event as object), body: textOf(bytes) ?? `[${bytes.length} bytes]` }
}

function textOf(bytes: Buffer): string | undefined {
  if (!isUtf8(bytes)) return undefined
  const text = bytes.toString('utf8')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: binary content is what is looked for
  return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? undefined : text
}
