import { randomBytes } from 'node:crypto'
import { signRequest } from '@lift/request-signing'
import { createTestIssuer, type SymmetricTestIssuer, serveLocal } from '@lift/testing'
import { createHandler, ROUTES } from './handler'

const ISSUER = 'https://issuer.jwt-auth.local'
const AUDIENCE = 'jwt-auth-demo'

/** Two tenants, two roles: who the demo prints tokens for. */
export const demoUsers = Object.freeze([
  { name: 'alice', tenant: 'acme', role: 'admin' },
  { name: 'bob', tenant: 'acme', role: 'member' },
  { name: 'carol', tenant: 'globex', role: 'admin' },
  { name: 'dave', tenant: 'globex', role: 'member' },
] as const)

export type DemoUser = (typeof demoUsers)[number]['name']

/** A request the demo prints as a curl command; `as` names the user whose token it sends. */
export interface DemoRequest {
  readonly title: string
  readonly expectedStatus: number
  readonly path: string
  readonly as?: DemoUser | 'tampered'
}

export const demoRequests: readonly DemoRequest[] = Object.freeze([
  { title: 'public route, no token', expectedStatus: 200, path: '/public' },
  { title: 'no token: 401 with WWW-Authenticate: Bearer', expectedStatus: 401, path: '/me' },
  { title: 'a tampered token: 401 invalid_token', expectedStatus: 401, path: '/me', as: 'tampered' },
  { title: 'who am I', expectedStatus: 200, path: '/me', as: 'bob' },
  { title: 'admin route as an admin', expectedStatus: 200, path: '/admin/stats', as: 'alice' },
  {
    title: 'admin route as a member: 403 insufficient_scope',
    expectedStatus: 403,
    path: '/admin/stats',
    as: 'bob',
  },
  { title: "own tenant's orders", expectedStatus: 200, path: '/tenants/acme/orders', as: 'bob' },
  { title: "another tenant's orders: 403", expectedStatus: 403, path: '/tenants/globex/orders', as: 'alice' },
  { title: 'globex member on globex', expectedStatus: 200, path: '/tenants/globex/orders', as: 'dave' },
])

/** The signed service call the demo prints: another service posting a report, no token. */
export const serviceDemoRequest = Object.freeze({
  title: 'signed service call (RFC 9421, HMAC-SHA256), no token',
  expectedStatus: 200,
  keyId: 'reports-service',
  path: '/service/reports',
  body: '{"period":"2026-11","format":"csv"}',
})

export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown
}

export interface DemoOptions {
  port: number
  print: (line: string) => void
  printError: (line: string) => void
  signals: SignalSource
  exit: (code: number) => void
}

/**
 * Serves the stack on 127.0.0.1 with a local HS256 issuer, prints a token per demo user and a curl command
 * per demo request, and stops on SIGINT/SIGTERM. A port in use is reported with a hint, exit 1.
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const { print, printError, exit, signals } = options
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    printError('PORT must be a whole number from 0 to 65535 (0 picks a free port), e.g.: PORT=3001 pnpm demo')
    exit(1)
    return
  }
  const issuer = await createTestIssuer({
    alg: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresInSec: 3600,
  })
  const tokens = await signTokens(issuer)
  const serviceKey = randomBytes(32)
  const handler = createHandler({
    issuer: ISSUER,
    audience: AUDIENCE,
    secret: issuer.secret,
    // The printed signature is made once, at startup, without a nonce: it stays valid (and can be pasted
    // again) for an hour.
    service: { keyId: serviceDemoRequest.keyId, secret: serviceKey, maxAgeSec: 3600 },
  })
  let server: Awaited<ReturnType<typeof serveLocal>>
  try {
    server = await serveLocal(handler, { port: options.port, routes: ROUTES })
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error
    printError(
      `Port ${options.port} is already in use. Pick another one, e.g.: PORT=${options.port + 1} pnpm demo`,
    )
    exit(1)
    return
  }

  print(`Lift jwt-auth is listening on ${server.url}`)
  print('')
  print('Tokens (HS256, valid for one hour):')
  for (const user of demoUsers) {
    print(`  # ${user.name}: tenant ${user.tenant}, role ${user.role}`)
    print(`  export ${user.name.toUpperCase()}_TOKEN='${tokens[user.name]}'`)
  }
  print("  # bob's header and signature on carol's claims")
  print(`  export TAMPERED_TOKEN='${tokens.tampered}'`)
  print('')
  for (const request of demoRequests) {
    print(`  # ${request.expectedStatus} ${request.title}`)
    print(`  ${curlCommand(server.url, request)}`)
  }
  print('')
  print(`Service route (signed ${new Date().toISOString()} with a key made at startup, valid for one hour):`)
  print(`  # ${serviceDemoRequest.expectedStatus} ${serviceDemoRequest.title}`)
  print(`  ${signedCurlCommand(server.url, serviceKey)}`)
  print(
    '  # 401 the same command with any other --data: the signed Content-Digest no longer matches the body',
  )
  print('')
  print('Press Ctrl+C to stop.')

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await server.close()
    print('Stopped.')
    exit(0)
  }
  signals.once('SIGINT', stop)
  signals.once('SIGTERM', stop)
}

export type DemoTokens = Record<DemoUser | 'tampered', string>

/** One token per demo user, plus one whose payload was changed after signing. */
export async function signTokens(issuer: Pick<SymmetricTestIssuer, 'sign'>): Promise<DemoTokens> {
  const entries = await Promise.all(
    demoUsers.map(async (user) => {
      const roles = user.role === 'admin' ? ['admin', 'member'] : ['member']
      const scope = user.role === 'admin' ? 'orders:read orders:write' : 'orders:read'
      return [user.name, await issuer.sign({ sub: user.name, tenant_id: user.tenant, roles, scope })] as const
    }),
  )
  const tokens = Object.fromEntries(entries) as Omit<DemoTokens, 'tampered'>
  const [header, , signature] = tokens.bob.split('.')
  const [, carolPayload] = tokens.carol.split('.')
  return { ...tokens, tampered: `${header}.${carolPayload}.${signature}` }
}

/** The request as a curl command; the token comes from the variable the demo printed. */
export function curlCommand(baseUrl: string, request: DemoRequest): string {
  const url = `'${new URL(request.path, baseUrl).href}'`
  if (request.as === undefined) return `curl -i ${url}`
  const variable = `$${request.as.toUpperCase()}_TOKEN`
  return `curl -i ${url} -H "Authorization: Bearer ${variable}"`
}

/** The service request signed now with `key`, as a curl command that can be pasted as it is. */
export function signedCurlCommand(baseUrl: string, key: Uint8Array, now?: () => number): string {
  const url = new URL(serviceDemoRequest.path, baseUrl).href
  const headers = { 'content-type': 'application/json' }
  const signature = signRequest(
    { method: 'POST', url, headers, body: serviceDemoRequest.body },
    { keyId: serviceDemoRequest.keyId, key, alg: 'hmac-sha256', ...(now ? { now } : {}) },
  )
  const fields = Object.entries({ ...headers, ...signature }).map(([name, value]) => `-H '${name}: ${value}'`)
  return [`curl -i '${url}'`, ...fields, `--data '${serviceDemoRequest.body}'`].join(' ')
}
