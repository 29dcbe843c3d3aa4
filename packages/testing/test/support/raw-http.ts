// A node:http client for what fetch cannot do: repeated request header lines, raw response header
// lines, absolute-form targets, explicit agents and half-sent bodies.
import { type Agent, type IncomingHttpHeaders, request } from 'node:http'

export interface RawResponse {
  status: number
  headers: IncomingHttpHeaders
  /** Response header lines as [name, value] in order. */
  lines: Array<[string, string]>
  body: Buffer
}

export interface RawRequestInit {
  method?: string
  path?: string
  /** Header lines in order; a name may repeat. */
  headers?: Array<[string, string]>
  body?: Buffer | string
  agent?: Agent
}

export function rawRequest(baseUrl: string, init: RawRequestInit = {}): Promise<RawResponse> {
  const url = new URL(baseUrl)
  const headers = init.headers ?? []
  // With headers given as lines node adds no Host of its own, and HTTP/1.1 servers reject a request without one.
  const withHost = headers.some(([name]) => name.toLowerCase() === 'host')
    ? headers
    : [['Host', url.host], ...headers]
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        method: init.method ?? 'GET',
        path: init.path ?? '/',
        headers: withHost.flat(),
        agent: init.agent,
        timeout: 5_000,
      },
      (response) => {
        const chunks: Buffer[] = []
        response.on('data', (chunk: Buffer) => chunks.push(chunk))
        response.on('end', () => {
          const lines: Array<[string, string]> = []
          for (let i = 0; i < response.rawHeaders.length; i += 2) {
            lines.push([response.rawHeaders[i]!, response.rawHeaders[i + 1]!])
          }
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            lines,
            body: Buffer.concat(chunks),
          })
        })
        response.on('error', reject)
      },
    )
    outgoing.on('timeout', () => outgoing.destroy(new Error('request timed out')))
    outgoing.on('error', reject)
    outgoing.end(init.body)
  })
}

/** Values of every response header line with this name (case-insensitive). */
export function headerLines(response: RawResponse, name: string): string[] {
  return response.lines
    .filter(([line]) => line.toLowerCase() === name.toLowerCase())
    .map(([, value]) => value)
}
