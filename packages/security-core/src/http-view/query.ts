import { isRecord, scalarList, scalarToString } from './values'

export type QueryPair = readonly [name: string, value: string]

/** Name/value pairs of a wire query string (`a=1&b=x%20y`), decoded as application/x-www-form-urlencoded. */
export function parseQueryString(rawQuery: string): QueryPair[] {
  const pairs: QueryPair[] = []
  if (rawQuery === '') return pairs
  for (const segment of rawQuery.split('&')) {
    if (segment === '') continue
    const eq = segment.indexOf('=')
    const name = eq === -1 ? segment : segment.slice(0, eq)
    const value = eq === -1 ? '' : segment.slice(eq + 1)
    pairs.push([decodeQueryComponent(name), decodeQueryComponent(value)])
  }
  return pairs
}

/**
 * Pairs from `queryStringParameters` / `multiValueQueryStringParameters` as the event holds them (decoded by
 * API Gateway REST, still encoded from ALB). A name in the multi-value map takes precedence.
 */
export function parameterPairs(single: unknown, multi: unknown): QueryPair[] {
  const pairs: QueryPair[] = []
  const fromMulti = new Set<string>()
  if (isRecord(multi)) {
    for (const name of Object.keys(multi)) {
      const values = scalarList(multi[name])
      if (values.length === 0) continue
      fromMulti.add(name)
      for (const value of values) pairs.push([name, value])
    }
  }
  if (isRecord(single)) {
    for (const name of Object.keys(single)) {
      const value = scalarToString(single[name])
      if (value !== undefined && !fromMulti.has(name)) pairs.push([name, value])
    }
  }
  return pairs
}

/** A wire query string from decoded pairs (API Gateway REST decoded them; this re-encodes per RFC 3986). */
export function encodeQuery(pairs: readonly QueryPair[]): string {
  return pairs.map(([name, value]) => `${encodeComponent(name)}=${encodeComponent(value)}`).join('&')
}

/** A query string from pairs that are still encoded (ALB), joined without touching them. */
export function joinEncodedQuery(pairs: readonly QueryPair[]): string {
  return pairs.map(([name, value]) => `${name}=${value}`).join('&')
}

/** '+' is a space, then percent-decoding; malformed percent-encoding or UTF-8 keeps the text as received. */
export function decodeQueryComponent(text: string): string {
  if (!text.includes('%') && !text.includes('+')) return text
  try {
    return decodeURIComponent(text.replaceAll('+', ' '))
  } catch {
    return text
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

function encodeComponent(text: string): string {
  try {
    return encodeURIComponent(text)
  } catch {
    // encodeURIComponent throws on lone surrogates; encode them as U+FFFD like a UTF-8 encoder would.
    return encodeURIComponent(text.replace(LONE_SURROGATE, '\uFFFD'))
  }
}
