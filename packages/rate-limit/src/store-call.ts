import { neverAborted } from './never-aborted'
import type { ConsumeRequest, ConsumeResult, RateLimitStore } from './store'

/** The store did not answer within storeTimeoutMs. */
export class StoreTimeoutError extends Error {
  override readonly name = 'StoreTimeoutError'
}

/**
 * Calls the store with a deadline: the signal given to the store aborts the SDK call (and its retries) when
 * the time is up, and the race makes the deadline hold even for a store that ignores the signal.
 */
export function consumeWithin(
  store: RateLimitStore,
  key: string,
  rules: ConsumeRequest['rules'],
  cost: number,
  now: number,
  timeoutMs: number,
): ConsumeResult | Promise<ConsumeResult> {
  // A store that never waits on I/O (memoryStore) needs no deadline: no timer, no AbortController.
  if (store.local === true) return store.consume({ key, rules, cost, now, signal: neverAborted() })
  return consumeWithDeadline(store, { key, rules, cost, now }, timeoutMs)
}

async function consumeWithDeadline(
  store: RateLimitStore,
  request: Omit<ConsumeRequest, 'signal'>,
  timeoutMs: number,
): Promise<ConsumeResult> {
  const controller = new AbortController()
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new StoreTimeoutError(`the store did not answer within ${timeoutMs} ms`)
      controller.abort(error)
      reject(error)
    }, timeoutMs)
  })
  try {
    return await Promise.race([store.consume({ ...request, signal: controller.signal }), deadline])
  } finally {
    clearTimeout(timer)
  }
}
