import { isRecord, nullPrototypeRecord, scalarList, scalarToString } from './values'

/**
 * One header map with lower-case names. Repeated fields are joined as RFC 9110 §5.3 allows (', '), the cookie
 * header with '; ' (RFC 6265 §5.4); set-cookie is never joined (the first value is kept). Names present in
 * `multiValueHeaders` (v1, ALB multi-value mode, WebSocket) take precedence over the same names in `headers`.
 * Empty names and values that are not strings, numbers or booleans are dropped.
 */
export function normalizeHeaders(single: unknown, multi: unknown): Record<string, string> {
  const headers = nullPrototypeRecord<string>()
  let fromMulti: Set<string> | undefined
  if (isRecord(multi)) {
    fromMulti = new Set()
    for (const key of Object.keys(multi)) {
      const values = scalarList(multi[key])
      if (key === '' || values.length === 0) continue
      const name = key.toLowerCase()
      fromMulti.add(name)
      for (const value of values) headers[name] = combine(headers[name], name, value)
    }
  }
  if (isRecord(single)) {
    for (const key of Object.keys(single)) {
      const value = scalarToString(single[key])
      if (key === '' || value === undefined) continue
      const name = key.toLowerCase()
      if (fromMulti?.has(name) !== true) headers[name] = combine(headers[name], name, value)
    }
  }
  return headers
}

/**
 * The value normalizeHeaders would give `lowerName`, without building the whole map: most requests read a
 * handful of headers, and lower-casing every name of a REST event (two maps of ~20 names) costs microseconds.
 */
export function findHeader(single: unknown, multi: unknown, lowerName: string): string | undefined {
  if (lowerName === '') return undefined
  let found: string | undefined
  if (isRecord(multi)) {
    for (const key of Object.keys(multi)) {
      if (!sameName(key, lowerName)) continue
      for (const value of scalarList(multi[key])) found = combine(found, lowerName, value)
    }
  }
  if (found === undefined && isRecord(single)) {
    for (const key of Object.keys(single)) {
      if (!sameName(key, lowerName)) continue
      const value = scalarToString(single[key])
      if (value !== undefined) found = combine(found, lowerName, value)
    }
  }
  return found
}

// Lower-casing changes the length of exactly one character (U+0130 'İ' becomes 'i' + U+0307), so a length
// mismatch settles most names without allocating a lower-cased copy.
function sameName(key: string, lowerName: string): boolean {
  if (key.length !== lowerName.length && !key.includes('\u0130')) return false
  return key.toLowerCase() === lowerName
}

function combine(existing: string | undefined, name: string, value: string): string {
  if (existing === undefined) return value
  if (name === 'set-cookie') return existing
  return `${existing}${name === 'cookie' ? '; ' : ', '}${value}`
}
