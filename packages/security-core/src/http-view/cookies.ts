import { nullPrototypeRecord } from './values'

/**
 * Cookies from cookie-strings (RFC 6265 §5.4: `name=value` pairs separated by ';'). The first occurrence of a
 * name wins, as the `cookie` package does; pairs without '=' or with an empty name are skipped; surrounding
 * double quotes are removed; values are percent-decoded when they decode cleanly, otherwise kept as received.
 */
export function parseCookies(cookieStrings: readonly string[]): Record<string, string> {
  const cookies = nullPrototypeRecord<string>()
  for (const cookieString of cookieStrings) {
    for (const pair of cookieString.split(';')) {
      const eq = pair.indexOf('=')
      if (eq === -1) continue
      const name = pair.slice(0, eq).trim()
      if (name === '' || cookies[name] !== undefined) continue
      cookies[name] = decodeCookieValue(unquote(pair.slice(eq + 1).trim()))
    }
  }
  return cookies
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
}

function decodeCookieValue(value: string): string {
  if (!value.includes('%')) return value
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
