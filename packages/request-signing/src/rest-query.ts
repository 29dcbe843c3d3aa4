import type { HttpRequestView } from '@lift/security-core'

type Pair = readonly [name: string, value: string]

/**
 * The query strings `@query`, `@target-uri` and `@request-target` may have been signed over.
 *
 * HTTP API (v2), Function URL and ALB events carry the query as received: that is the only candidate. API
 * Gateway REST (v1) and WebSocket events carry only the parameters, decoded the
 * application/x-www-form-urlencoded way ('+' is a space), so the wire text is rebuilt in the three ways
 * clients write it: as a URL parser leaves literal characters (fetch, `new URL`, curl, signRequest),
 * with encodeURIComponent, and as URLSearchParams / HTML forms serialize. Each of these decodes back to
 * exactly the event's parameters, and no text is produced by two of them for different parameters, so a
 * signature that verifies over any of them was made over a query the application reads the same way.
 * What the event no longer holds (parameter order across names, other encodings) cannot be rebuilt.
 */
export function queryCandidates(view: HttpRequestView): readonly string[] {
  const raw = view.rawQuery
  if (view.source !== 'apigw-rest' && view.source !== 'websocket') return [raw]
  if (!/[^A-Za-z0-9\-._=&]/.test(raw)) return [raw]
  const pairs = decodePairs(raw)
  return [...new Set([raw, join(pairs, urlParserEncode), join(pairs, formEncode)])]
}

// The view re-encodes REST parameters with encodeURIComponent, which escapes '&', '=', '+' and '%'.
function decodePairs(raw: string): Pair[] {
  if (raw === '') return []
  return raw.split('&').map((segment) => {
    const eq = segment.indexOf('=')
    return [decode(segment.slice(0, eq)), decode(segment.slice(eq + 1))] as const
  })
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

function join(pairs: readonly Pair[], encode: (text: string) => string): string {
  return pairs.map(([name, value]) => `${encode(name)}=${encode(value)}`).join('&')
}

// WHATWG URL's query percent-encode set for special schemes (C0, space, '"', '#', "'", '<', '>', non-ASCII),
// and the characters that would change the parameters: '%', '&', '=', '+'.
const URL_PARSER_ESCAPED = /[^\x21\x24\x28-\x2a\x2c-\x3b\x3f-\x7e]/u

function urlParserEncode(text: string): string {
  return encodeChars(text, (char) => URL_PARSER_ESCAPED.test(char))
}

// application/x-www-form-urlencoded serializer: alphanumerics and '*-._' stay, a space becomes '+'.
function formEncode(text: string): string {
  return encodeChars(text, (char) => !/[A-Za-z0-9*\-._]/.test(char)).replaceAll('%20', '+')
}

function encodeChars(text: string, escaped: (char: string) => boolean): string {
  let result = ''
  for (const char of text) {
    if (!escaped(char)) result += char
    // A lone surrogate is written as U+FFFD, as the view's encodeURIComponent fallback does.
    else
      for (const byte of Buffer.from(char, 'utf8'))
        result += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return result
}
