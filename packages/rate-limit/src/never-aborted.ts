let signal: AbortSignal | undefined

/** One signal that never aborts, for store calls that have no deadline (made on first use, not at import). */
export function neverAborted(): AbortSignal {
  signal ??= new AbortController().signal
  return signal
}
