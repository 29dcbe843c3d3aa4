import { reject } from './rejection'

/**
 * Runs `load` (a dynamic import of code needed on first use) once it succeeds: calls while it is loading
 * share the one promise, and once loaded `loaded()` returns the module synchronously. A failed load (a
 * chunk missing from the deployment, EMFILE) is not remembered: that token gets a 503 (`module-load-failed`,
 * fail closed, with the error as the cause for the log) and the next one tries again.
 */
export function loadOnce<T>(load: () => Promise<T>): { loaded(): T | undefined; get(): Promise<T> } {
  let value: T | undefined
  let loading: Promise<T> | undefined
  return {
    loaded: () => value,
    get() {
      loading ??= load().then(
        (result) => {
          value = result
          return result
        },
        (error: unknown) => {
          loading = undefined
          return reject('module-load-failed', 503, error)
        },
      )
      return loading
    },
  }
}
