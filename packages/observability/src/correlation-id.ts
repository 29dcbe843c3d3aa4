import { randomUUID } from 'node:crypto'
import type { HttpRequestView } from '@lift/security-core'

const SAFE = /^[A-Za-z0-9._:@/+=-]+$/

/**
 * The request's correlation id: the first of `headers` that holds a safe value (length-capped, a
 * conservative charset so that it can go into a log line and a response header as it is), else a new UUID.
 */
export function correlationIdOf(
  view: HttpRequestView | undefined,
  headers: readonly string[],
  maxLength: number,
): { id: string; received: boolean } {
  if (view !== undefined) {
    for (const name of headers) {
      const value = view.header(name)?.trim()
      if (value !== undefined && isSafeCorrelationId(value, maxLength)) return { id: value, received: true }
    }
  }
  return { id: randomUUID(), received: false }
}

export function isSafeCorrelationId(value: string, maxLength: number): boolean {
  return value.length > 0 && value.length <= maxLength && SAFE.test(value)
}
