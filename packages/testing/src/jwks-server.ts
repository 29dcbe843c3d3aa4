// The test issuer's HTTP side: a JWKS document and an OpenID discovery document on 127.0.0.1.
import { createServer } from 'node:http'
import { baseUrl, closeServer, listen } from './local-http-server'

export const JWKS_PATH = '/.well-known/jwks.json'
export const DISCOVERY_PATH = '/.well-known/openid-configuration'

/** A response the JWKS endpoint sends as it is. */
export interface ServedDocument {
  readonly status: number
  readonly contentType: string
  readonly body: Buffer
}

export interface JwksServer {
  readonly baseUrl: string
  /** Requests the JWKS path has answered so far. */
  jwksRequests(): number
  close(): Promise<void>
}

/** Serves `jwks()` on JWKS_PATH and `discovery()` on DISCOVERY_PATH; anything else is 404. */
export async function startJwksServer(documents: {
  jwks: () => ServedDocument
  discovery: (base: string) => unknown
}): Promise<JwksServer> {
  let requests = 0
  let base = ''
  const server = createServer((request, response) => {
    const path = String(request.url).split('?')[0]
    let document: ServedDocument
    if (path === JWKS_PATH) {
      requests++
      document = documents.jwks()
    } else if (path === DISCOVERY_PATH) {
      document = jsonDocument(documents.discovery(base))
    } else {
      document = jsonDocument({ error: 'not_found' }, 404)
    }
    response.writeHead(document.status, {
      'content-type': document.contentType,
      'content-length': document.body.length,
      'cache-control': 'no-store',
    })
    response.end(document.body)
  })
  base = baseUrl(await listen(server, 0, '127.0.0.1'))
  return {
    baseUrl: base,
    jwksRequests: () => requests,
    close: () => closeServer(server),
  }
}

/** A JSON response (default 200). */
export function jsonDocument(value: unknown, status = 200): ServedDocument {
  return { status, contentType: 'application/json', body: Buffer.from(JSON.stringify(value)) }
}
