import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * An upstream on 127.0.0.1 with one route per behaviour: /ok (200), /error (500), /hang (never answers),
 * /close (destroys the socket without a response). Counts requests per path.
 */
export interface HttpTargets {
  readonly url: string
  count(path: string): number
  close(): Promise<void>
}

export async function startHttpTargets(): Promise<HttpTargets> {
  const counts = new Map<string, number>()
  const server: Server = createServer((request, response) => {
    const path = String(request.url).split('?')[0]!
    counts.set(path, (counts.get(path) ?? 0) + 1)
    switch (path) {
      case '/ok':
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"pass"}')
        return
      case '/error':
        response.writeHead(500, { 'content-type': 'text/plain' }).end('database password is hunter2')
        return
      case '/hang':
        return
      case '/close':
        request.socket.destroy()
        return
      default:
        response.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    count: (path) => counts.get(path) ?? 0,
    close() {
      server.closeAllConnections()
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
    },
  }
}
