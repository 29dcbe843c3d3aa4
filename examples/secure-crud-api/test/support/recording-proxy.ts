// A recording reverse proxy on 127.0.0.1: forwards every request to `target` and remembers each DynamoDB
// call as "<Action> <TableName>" (from X-Amz-Target and the JSON body), so a test can compare the calls the
// code really makes with the IAM policy that allows them.
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface RecordingProxy {
  readonly endpoint: string
  readonly calls: Set<string>
  close(): Promise<void>
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const calls = new Set<string>()
  const upstream = new URL(target)
  const server: Server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const body = Buffer.concat(chunks)
      const action = String(incoming.headers['x-amz-target'] ?? '')
        .split('.')
        .at(-1)
      try {
        const table = (JSON.parse(body.toString('utf8') || '{}') as { TableName?: string }).TableName
        if (action) calls.add(`${action} ${table ?? '?'}`)
      } catch {
        if (action) calls.add(`${action} ?`)
      }
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (response) => {
          outgoing.writeHead(response.statusCode ?? 502, response.headers)
          response.pipe(outgoing)
        },
      )
      forward.on('error', () => outgoing.destroy())
      forward.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
