import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createSecretsProvider } from '@lift/security-core'
import { serveLocal, startDynamoDb } from '@lift/testing'
import { API_ROUTES, createApi, DETAILS_HEADER } from './handler'

export interface DemoOptions {
  print: (line: string) => void
}

export interface DemoStep {
  title: string
  status: number
  body: unknown
}

const TABLE = 'lift-health-demo'
const SECRET_ID = 'lift-health-demo/details'

/**
 * One run, no AWS: DynamoDB is dynalite on 127.0.0.1, the upstream a local HTTP server, and Secrets Manager
 * an in-memory stand-in behind the real SecretsProvider. The API is served over HTTP; the demo asks for
 * liveness, the anonymous report, the detailed report, and the detailed report once the upstream is gone.
 */
export async function runDemo({ print }: DemoOptions): Promise<DemoStep[]> {
  const detailsSecret = randomBytes(24).toString('base64url')
  const db = await startDynamoDb()
  const upstream = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"pass"}')
  })
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve))
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/health`
  let server: Awaited<ReturnType<typeof serveLocal>> | undefined
  try {
    await db.createTable({ tableName: TABLE })
    const secrets = createSecretsProvider({ client: { send: async () => ({ SecretString: detailsSecret }) } })
    const api = createApi({
      dynamoDb: db.client,
      tableName: TABLE,
      secrets,
      secretId: SECRET_ID,
      upstreamUrl,
      version: '1.0.0',
      cacheTtlMs: 0,
    })
    server = await serveLocal(api, { port: 0, routes: API_ROUTES })
    print(`API listening on ${server.url} (${API_ROUTES.join(', ')})`)

    const steps: DemoStep[] = []
    const step = async (title: string, path: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${server!.url}${path}`, { headers })
      const body = (await response.json()) as unknown
      steps.push({ title, status: response.status, body })
      print(`  ${response.status}  ${title}: ${JSON.stringify(body)}`)
    }
    const details = { [DETAILS_HEADER]: detailsSecret }
    await step('GET /health/live', '/health/live')
    await step('GET /health, anonymous', '/health')
    await step(`GET /health with ${DETAILS_HEADER}`, '/health', details)
    upstream.closeAllConnections()
    await new Promise((resolve) => upstream.close(resolve))
    await step('GET /health with the upstream down (not critical: warn)', '/health', details)
    await step('GET /health/ready with the upstream down', '/health/ready')
    return steps
  } finally {
    await server?.close()
    if (upstream.listening) {
      upstream.closeAllConnections()
      await new Promise((resolve) => upstream.close(resolve))
    }
    await db.stop()
  }
}
