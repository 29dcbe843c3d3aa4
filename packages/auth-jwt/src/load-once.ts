import { reject } from './rejection'

/**
 * Runs `load` (a dynamic import of code needed on first use) once it succeeds: calls while it is loading
 * share the one promise, and once loaded `loaded()` returns the module and `use(fn)` calls `fn` with it
 * synchronously (no promise on the hot path). A failed load (a chunk missing from the deployment, EMFILE)
 * is not remembered: that token gets a 503 (`module-load-failed`, fail closed, with the error as the cause
 * for the log) and the next one tries again.
 */
export function loadOnce<T>(load: () => Promise<T>): {
  loaded(): T | undefined
  use<R>(fn: (value: T) => R): R | Promise<Awaited<R>>
} {
  let value: T | undefined
  let loading: Promise<T> | undefined
  const get = (): Promise<T> => {
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
  }
  return {
    loaded: () => value,
    use: <R>(fn: (value: T) => R): R | Promise<Awaited<R>> =>
      value !== undefined ? fn(value) : (get().then(fn) as Promise<Awaited<R>>),
  }
}
