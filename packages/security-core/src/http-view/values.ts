// Defensive readers for untrusted event fields: every event field may be missing, null or of the wrong type.

export type UnknownRecord = Record<string, unknown>

export function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function recordOrUndefined(value: unknown): UnknownRecord | undefined {
  return isRecord(value) ? value : undefined
}

export function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A header or parameter value as a string: numbers and booleans (test builders send them) are stringified. */
export function scalarToString(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
    return String(value)
  return undefined
}

/** The values of a multi-value field: an array of scalars, or a lone scalar. */
export function scalarList(value: unknown): string[] {
  if (!Array.isArray(value)) {
    const single = scalarToString(value)
    return single === undefined ? [] : [single]
  }
  const values: string[] = []
  for (const item of value) {
    const text = scalarToString(item)
    if (text !== undefined) values.push(text)
  }
  return values
}

export function nullPrototypeRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}
