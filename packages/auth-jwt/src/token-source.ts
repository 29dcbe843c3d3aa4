import type { HttpRequestView } from '@lift/security-core'
import type { TokenSource } from './options'

/** Returns the raw token, `undefined` when the request carries none, or `''` when it carries a broken one. */
export type TokenReader = (view: HttpRequestView) => string | undefined

/** Builds the reader for a validated TokenSource. */
export function tokenReader(source: TokenSource): TokenReader {
  if ('cookie' in source) {
    const name = source.cookie
    return (view) => stringOrUndefined(view.cookies[name])
  }
  if ('query' in source) {
    const name = source.query
    return (view) => stringOrUndefined(view.query[name])
  }
  const header = source.header.toLowerCase()
  const scheme = source.scheme
  if (scheme === undefined) return (view) => view.header(header)
  const prefix = `${scheme.toLowerCase()} `
  return (view) => {
    // header() finds one field without normalizing every header of the request (hot path).
    const value = view.header(header)
    if (value === undefined) return undefined
    // RFC 6750 §2.1: `Bearer 1*SP b64token`; the scheme is case-insensitive. Another scheme (Basic…) is
    // not a bearer token at all, so it counts as no token.
    if (value.length < prefix.length || value.slice(0, prefix.length).toLowerCase() !== prefix) {
      return value.trim().toLowerCase() === scheme.toLowerCase() ? '' : undefined
    }
    return value.slice(prefix.length).trim()
  }
}

// Names such as `constructor` must not reach Object.prototype through a plain record lookup.
function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
