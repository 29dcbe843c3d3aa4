// Small HTTP servers on 127.0.0.1 for the key-endpoint tests: each counts its requests and closes with its
// sockets.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface LocalServer {
  /** `http://127.0.0.1:<port>` */
  readonly base: string
  /** `${base}/jwks` */
  readonly url: string
  /** Requests received so far, by path. */
  requests(path?: string): number
  close(): Promise<void>
}

/** A server whose every request is handled by `handle`. */
export async function startServer(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<LocalServer> {
  const counts = new Map<string, number>()
  let total = 0
  const server: Server = createServer((request, response) => {
    total++
    const path = String(request.url).split('?')[0]!
    counts.set(path, (counts.get(path) ?? 0) + 1)
    handle(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    base,
    url: `${base}/jwks`,
    requests: (path) => (path === undefined ? total : (counts.get(path) ?? 0)),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Writes `value` as a JSON response. */
export function sendJson(response: ServerResponse, value: unknown, status = 200): void {
  const body = JSON.stringify(value)
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  })
  response.end(body)
}
