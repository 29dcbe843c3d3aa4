import { signRequest } from '@lift/request-signing'
import type { MiddlewareObj } from '@middy/core'
import { type LocalStack, SERVICE_KEY_ID, startLocalStack, type TenantId } from './local-stack'

/** Who the demo prints tokens for. */
export const demoUsers = Object.freeze([
  { variable: 'ACME_ADMIN', tenant: 'acme', sub: 'ada', roles: ['admin'] },
  { variable: 'ACME_READER', tenant: 'acme', sub: 'rita', roles: ['reader'] },
  { variable: 'GLOBEX_ADMIN', tenant: 'globex', sub: 'gus', roles: ['admin'] },
] as const satisfies readonly { variable: string; tenant: TenantId; sub: string; roles: readonly string[] }[])

export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown
}

export interface DemoOptions {
  port: number
  print: (line: string) => void
  printError: (line: string) => void
  signals: SignalSource
  exit: (code: number) => void
  /** Outermost middlewares (observability writing audit records to the terminal). */
  outer?: readonly MiddlewareObj[]
}

export interface DemoState {
  stack: LocalStack
  /** Seeded project ids per tenant. */
  seeded: Record<TenantId, string[]>
  stop(): Promise<void>
}

/**
 * Serves the flagship stack on 127.0.0.1 with an embedded DynamoDB, seeds two tenants, prints tokens and
 * curl commands for every route (a cross-tenant attempt, a rate-limited burst, a signed service call and
 * /health among them), and stops cleanly on SIGINT/SIGTERM.
 */
export async function runDemo(options: DemoOptions): Promise<DemoState | undefined> {
  const { print, printError, exit, signals } = options
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    printError('PORT must be a whole number from 0 to 65535 (0 picks a free port), e.g.: PORT=3001 pnpm demo')
    exit(1)
    return undefined
  }
  // Signals are taken from the start, so a Ctrl+C while the stack is starting stops it as soon as it is up.
  let stack: LocalStack | undefined
  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await stack?.close()
    print('Stopped.')
  }
  const onSignal = () => {
    if (stack === undefined) {
      stopping = true
      return
    }
    stop().then(
      () => exit(0),
      () => exit(1),
    )
  }
  signals.once('SIGINT', onSignal)
  signals.once('SIGTERM', onSignal)
  try {
    stack = await startLocalStack({
      port: options.port,
      serviceMaxAgeSec: 3600,
      ...(options.outer ? { outer: options.outer } : {}),
    })
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error
    printError(
      `Port ${options.port} is already in use. Pick another one, e.g.: PORT=${options.port + 1} pnpm demo`,
    )
    exit(1)
    return undefined
  }
  const running: LocalStack = stack
  const seeded = await seed(running)
  const tokens = Object.fromEntries(
    await Promise.all(
      demoUsers.map(
        async (user) => [user.variable, await running.token(user.tenant, user.sub, user.roles)] as const,
      ),
    ),
  )
  if (stopping) {
    stopping = false
    await stop()
    exit(0)
    return undefined
  }
  for (const line of instructions(running, tokens, seeded)) print(line)
  return { stack: running, seeded, stop }
}

async function seed(stack: LocalStack): Promise<Record<TenantId, string[]>> {
  const seeded: Record<TenantId, string[]> = { acme: [], globex: [] }
  const names: Record<TenantId, string[]> = { acme: ['Apollo', 'Gemini'], globex: ['Hyperion'] }
  for (const tenant of ['acme', 'globex'] as const) {
    const token = await stack.token(tenant, 'seed', ['admin'])
    for (const name of names[tenant]) {
      const response = await fetch(`${stack.url}/tenants/${tenant}/projects`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
      })
      if (response.status !== 201) throw new Error(`seeding ${tenant} failed: ${response.status}`)
      seeded[tenant].push(((await response.json()) as { projectId: string }).projectId)
    }
  }
  return seeded
}

/** The lines the demo prints: tokens, then one curl command per scenario with the status to expect. */
export function instructions(
  stack: LocalStack,
  tokens: Readonly<Record<string, string>>,
  seeded: Record<TenantId, string[]>,
): string[] {
  const url = stack.url
  const acmeProject = `${url}/tenants/acme/projects/${seeded.acme[0]}`
  const bearer = (variable: string) => `-H "Authorization: Bearer $${variable}"`
  const json = `-H 'content-type: application/json'`
  const lines = [
    `Lift secure-crud-api is listening on ${url} (DynamoDB: embedded dynalite; tenants acme and globex seeded)`,
    '',
    'Tokens (HS256, one issuer per tenant, valid for one hour):',
    ...demoUsers.flatMap((user) => [
      `  # ${user.sub}: tenant ${user.tenant}, role ${user.roles.join(', ')}`,
      `  export ${user.variable}='${tokens[user.variable]}'`,
    ]),
    '',
    'Try:',
    '  # 200 list acme projects (reader)',
    `  curl -i '${url}/tenants/acme/projects' ${bearer('ACME_READER')}`,
    '  # 201 create a project (admin); send it twice: one project, the same answer (Idempotency-Key)',
    `  curl -i -X POST '${url}/tenants/acme/projects' ${bearer('ACME_ADMIN')} ${json} -H 'Idempotency-Key: demo-1' --data '{"name":"Artemis"}'`,
    '  # 200 read one; note its ETag (the version)',
    `  curl -i '${acmeProject}' ${bearer('ACME_ADMIN')}`,
    '  # 200 update with the version you read; run it again: 409, the version moved on',
    `  curl -i -X PATCH '${acmeProject}' ${bearer('ACME_ADMIN')} ${json} --data '{"version":1,"status":"archived"}'`,
    '  # 403 a reader may not write',
    `  curl -i -X POST '${url}/tenants/acme/projects' ${bearer('ACME_READER')} ${json} --data '{"name":"Nope"}'`,
    "  # 403 cross-tenant: globex's admin on acme's project",
    `  curl -i '${acmeProject}' ${bearer('GLOBEX_ADMIN')}`,
    '  # 422 a body of the wrong shape (problem+json lists every problem)',
    `  curl -i -X POST '${url}/tenants/acme/projects' ${bearer('ACME_ADMIN')} ${json} --data '{"name":42,"color":"red"}'`,
    '  # 204 delete',
    `  curl -i -X DELETE '${url}/tenants/acme/projects/${seeded.acme[1]}' ${bearer('ACME_ADMIN')}`,
    '  # 429 a burst: the free plan admits 10 at once, then answers 429 with Retry-After',
    `  for i in $(seq 1 15); do curl -s -o /dev/null -w '%{http_code} ' '${url}/tenants/acme/projects' ${bearer('ACME_READER')}; done; echo`,
    "  # 200 a signed service call from acme's backend (RFC 9421, one-time nonce); run it again: 401 (replay)",
    `  ${signedCurl(stack, '/service/tenants/acme/projects')}`,
    '  # 200 health for everyone (status only), and the detailed report with the health token',
    `  curl -i '${url}/health'`,
    `  curl -s '${url}/health' -H 'x-health-token: ${stack.healthToken}'`,
    '',
    'Audit records of every security decision appear below as requests arrive. Press Ctrl+C to stop.',
    '',
  ]
  return lines
}

/** A signed GET for the service route, as a curl command (signed now, valid for an hour, usable once). */
export function signedCurl(stack: LocalStack, path: string): string {
  const url = `${stack.url}${path}`
  const signature = signRequest(
    { method: 'GET', url, headers: {} },
    { keyId: SERVICE_KEY_ID, key: stack.serviceKey, alg: 'hmac-sha256', nonce: true },
  )
  const fields = Object.entries(signature).map(([name, value]) => `-H '${name}: ${value}'`)
  return [`curl -i '${url}'`, ...fields].join(' ')
}
