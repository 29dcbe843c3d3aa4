/** The parts of an HTTP request that RFC 9421 components are derived from. */
export interface SignableRequest {
  /** Upper-case method. */
  readonly method: string
  /** Lower-case scheme without '://', e.g. 'https'. */
  readonly scheme: string
  /** Host and port as on the wire (the default port is removed when derived). */
  readonly authority: string
  /** Absolute path, percent-encoded as on the wire. */
  readonly path: string
  /** Query without '?', percent-encoded as on the wire; '' when there is none. */
  readonly query: string
  /** The field lines of a header (lower-case name), in order; undefined when absent. */
  fieldValues(name: string): readonly string[] | undefined
}

/** The request `signRequest()` signs: what you are about to send with fetch or any HTTP client. */
export interface OutgoingRequest {
  method: string
  url: string | URL
  headers?: Record<string, string | readonly string[] | undefined> | Headers
  body?: string | Uint8Array
}

/** A SignableRequest over a URL and plain headers (for signRequest and tests). */
export function signableFromUrl(
  method: string,
  url: string | URL,
  headers: Record<string, string | readonly string[] | undefined> | Headers = {},
): SignableRequest {
  const parsed = typeof url === 'string' ? new URL(url) : url
  const fields = new Map<string, string[]>()
  const add = (name: string, value: string): void => {
    const key = name.toLowerCase()
    const list = fields.get(key)
    if (list === undefined) fields.set(key, [value])
    else list.push(value)
  }
  if (typeof Headers !== 'undefined' && headers instanceof Headers) {
    for (const [name, value] of headers) add(name, value)
  } else {
    for (const [name, value] of Object.entries(
      headers as Record<string, string | readonly string[] | undefined>,
    )) {
      if (value === undefined) continue
      if (typeof value === 'string') add(name, value)
      else for (const line of value) add(name, line)
    }
  }
  return {
    method: method.toUpperCase(),
    scheme: parsed.protocol.replace(/:$/, '').toLowerCase(),
    authority: parsed.host,
    path: parsed.pathname === '' ? '/' : parsed.pathname,
    query: parsed.search.replace(/^\?/, ''),
    fieldValues: (name) => fields.get(name),
  }
}
