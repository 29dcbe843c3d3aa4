// Captures what Powertools writes to stdout/stderr (its loggers and EMF metrics), one parsed line each.
import { jest } from '@jest/globals'

export interface Captured {
  /** Every line written since capture started (or since clear()). */
  readonly lines: string[]
  /** The lines that parse as JSON objects. */
  json(): Record<string, unknown>[]
  /** EMF metric blobs (lines with `_aws`). */
  emf(): Record<string, unknown>[]
  /** Log lines (JSON lines without `_aws`). */
  logs(): Record<string, unknown>[]
  clear(): void
  restore(): void
}

export function captureOutput(): Captured {
  const lines: string[] = []
  const collect = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) if (line.trim() !== '') lines.push(line)
    return true
  }
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(collect as never)
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(collect as never)
  const json = () =>
    lines.flatMap((line) => {
      try {
        const value = JSON.parse(line)
        return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : []
      } catch {
        return []
      }
    })
  return {
    lines,
    json,
    emf: () => json().filter((line) => '_aws' in line),
    logs: () => json().filter((line) => !('_aws' in line)),
    clear: () => {
      lines.length = 0
    },
    restore: () => {
      stdout.mockRestore()
      stderr.mockRestore()
    },
  }
}
