// Listening on 127.0.0.1 and closing promptly, shared by the JWKS server and serveLocal.
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'

/** Starts listening; rejects with the listen error (EADDRINUSE, EACCES…) instead of emitting it. */
export function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      resolve(server.address() as AddressInfo)
    })
  })
}

/** `http://host:port`, with brackets around an IPv6 host. */
export function baseUrl(address: AddressInfo): string {
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}

/**
 * Stops listening and ends every connection, idle keep-alive sockets included, so that close()
 * resolves now rather than when the clients' keep-alive timers expire. Safe to call more than once.
 */
export function closeServer(server: Server): Promise<void> {
  if (!server.listening) return Promise.resolve()
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    server.closeAllConnections()
  })
}
