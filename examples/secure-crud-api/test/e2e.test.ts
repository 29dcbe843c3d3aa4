// End to end over real HTTP: serveLocal + dynalite, every route, every role, cross-tenant attempts,
// invalid tokens, bodies, idempotency, optimistic concurrency, signed service calls and rate limits.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { signRequest } from '@lift/request-signing'
import { type LocalStack, SERVICE_KEY_ID, startLocalStack, type TenantId } from '../src/local-stack'

let stack: LocalStack
let clock = Date.now()
const tokens: Record<string, string> = {}

beforeAll(async () => {
  stack = await startLocalStack({ now: () => clock })
  tokens.acmeAdmin = await stack.token('acme', 'ada', ['admin'], { plan: 'pro' })
  tokens.acmeReader = await stack.token('acme', 'rita', ['reader'], { plan: 'pro' })
  tokens.globexAdmin = await stack.token('globex', 'gus', ['admin'], { plan: 'pro' })
  tokens.acmeNoRole = await stack.token('acme', 'nemo', [], { plan: 'pro' })
})

afterAll(() => stack?.close())

// Each test starts in fresh rate-limit windows (the stack's clock moves, tokens stay valid for an hour).
beforeEach(() => {
  clock += 61_000
})

interface CallOptions {
  token?: string
  body?: unknown
  rawBody?: string
  headers?: Record<string, string>
}

async function call(method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined
  if (options.rawBody !== undefined) body = options.rawBody
  else if (options.body !== undefined) body = JSON.stringify(options.body)
  if (body !== undefined) headers['content-type'] ??= 'application/json'
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: () => JSON.parse(text) as Record<string, unknown>,
  }
}

async function createProject(tenant: TenantId, token: string, name = 'Apollo', headers = {}) {
  const response = await call('POST', `/tenants/${tenant}/projects`, { token, body: { name }, headers })
  expect(response.status).toBe(201)
  return response.json() as { projectId: string; version: number; tenantId: string }
}

async function projectCount(tenant: TenantId) {
  const response = await call('GET', `/tenants/${tenant}/projects?limit=100`, {
    token: tenant === 'acme' ? tokens.acmeAdmin : tokens.globexAdmin,
  })
  return (response.json().items as unknown[]).length
}

describe('projects CRUD as an admin', () => {
  it('creates, reads, lists, updates with the version, and deletes', async () => {
    const created = await createProject('acme', tokens.acmeAdmin!, 'Gemini')
    expect(created).toMatchObject({ tenantId: 'acme', version: 1 })

    const path = `/tenants/acme/projects/${created.projectId}`
    const read = await call('GET', path, { token: tokens.acmeAdmin })
    expect(read.status).toBe(200)
    expect(read.headers.get('etag')).toBe('"1"')
    expect(read.json()).toMatchObject({ name: 'Gemini', status: 'active', createdBy: 'ada' })

    const list = await call('GET', '/tenants/acme/projects', { token: tokens.acmeAdmin })
    expect((list.json().items as { projectId: string }[]).map((p) => p.projectId)).toContain(
      created.projectId,
    )

    const updated = await call('PATCH', path, {
      token: tokens.acmeAdmin,
      body: { version: 1, status: 'archived' },
    })
    expect(updated.status).toBe(200)
    expect(updated.json()).toMatchObject({ version: 2, status: 'archived', name: 'Gemini' })

    const removed = await call('DELETE', `${path}?version=2`, { token: tokens.acmeAdmin })
    expect(removed.status).toBe(204)
    expect((await call('GET', path, { token: tokens.acmeAdmin })).status).toBe(404)
  })

  it('pages through a list with an opaque cursor', async () => {
    for (const name of ['p1', 'p2', 'p3']) await createProject('globex', tokens.globexAdmin!, name)
    const first = await call('GET', '/tenants/globex/projects?limit=2', { token: tokens.globexAdmin })
    const page = first.json() as { items: unknown[]; nextCursor: string }
    expect(page.items).toHaveLength(2)
    const second = await call('GET', `/tenants/globex/projects?limit=2&cursor=${page.nextCursor}`, {
      token: tokens.globexAdmin,
    })
    expect((second.json().items as unknown[]).length).toBeGreaterThanOrEqual(1)
  })
})

describe('optimistic concurrency', () => {
  it('a stale update is a 409 and loses nothing; a stale delete is a 409', async () => {
    const { projectId } = await createProject('acme', tokens.acmeAdmin!, 'Mercury')
    const path = `/tenants/acme/projects/${projectId}`
    const [first, second] = await Promise.all([
      call('PATCH', path, { token: tokens.acmeAdmin, body: { version: 1, name: 'Mercury A' } }),
      call('PATCH', path, { token: tokens.acmeAdmin, body: { version: 1, name: 'Mercury B' } }),
    ])
    expect([first.status, second.status].sort()).toEqual([200, 409])
    const winner = first.status === 200 ? first : second
    const loser = first.status === 200 ? second : first
    expect(loser.headers.get('content-type')).toBe('application/problem+json')
    expect(loser.json()).toMatchObject({ status: 409, code: 'version-conflict' })
    const stored = (await call('GET', path, { token: tokens.acmeAdmin })).json()
    expect(stored).toMatchObject({ version: 2, name: winner.json().name })

    expect((await call('DELETE', `${path}?version=1`, { token: tokens.acmeAdmin })).status).toBe(409)
    expect((await call('GET', path, { token: tokens.acmeAdmin })).status).toBe(200)
  })

  it('updating or deleting a project that does not exist is a 404', async () => {
    const path = '/tenants/acme/projects/00000000-0000-4000-8000-000000000000'
    expect(
      (await call('PATCH', path, { token: tokens.acmeAdmin, body: { version: 1, name: 'x' } })).status,
    ).toBe(404)
    expect((await call('DELETE', path, { token: tokens.acmeAdmin })).status).toBe(404)
  })
})

describe('idempotent create (Idempotency-Key, Powertools Idempotency)', () => {
  it('the same key twice creates one project and answers the same response', async () => {
    const before = await projectCount('acme')
    const headers = { 'idempotency-key': 'order-42' }
    const first = await call('POST', '/tenants/acme/projects', {
      token: tokens.acmeAdmin,
      body: { name: 'Once' },
      headers,
    })
    const again = await call('POST', '/tenants/acme/projects', {
      token: tokens.acmeAdmin,
      body: { name: 'Once' },
      headers,
    })
    expect(first.status).toBe(201)
    expect(again.status).toBe(201)
    expect(again.json()).toEqual(first.json())
    expect(await projectCount('acme')).toBe(before + 1)
  })

  it('the same key with another body is refused (422), nothing written', async () => {
    const headers = { 'idempotency-key': 'order-43' }
    await createProject('acme', tokens.acmeAdmin!, 'First', headers)
    const before = await projectCount('acme')
    const reused = await call('POST', '/tenants/acme/projects', {
      token: tokens.acmeAdmin,
      body: { name: 'Other' },
      headers,
    })
    expect(reused.status).toBe(422)
    expect(reused.json()).toMatchObject({ code: 'idempotency-key-reused' })
    expect(await projectCount('acme')).toBe(before)
  })

  it('two tenants using the same key get their own projects', async () => {
    const headers = { 'idempotency-key': 'shared-key' }
    const acme = await createProject('acme', tokens.acmeAdmin!, 'Same', headers)
    const globex = await createProject('globex', tokens.globexAdmin!, 'Same', headers)
    expect(acme.tenantId).toBe('acme')
    expect(globex.tenantId).toBe('globex')
    expect(globex.projectId).not.toBe(acme.projectId)
  })

  it('an invalid key is a 400', async () => {
    const response = await call('POST', '/tenants/acme/projects', {
      token: tokens.acmeAdmin,
      body: { name: 'x' },
      headers: { 'idempotency-key': 'x'.repeat(300) },
    })
    expect(response.status).toBe(400)
  })
})

describe('roles', () => {
  it('a reader lists and reads, and may not create, update or delete (403, nothing written)', async () => {
    const { projectId } = await createProject('acme', tokens.acmeAdmin!, 'Read me')
    const path = `/tenants/acme/projects/${projectId}`
    expect((await call('GET', '/tenants/acme/projects', { token: tokens.acmeReader })).status).toBe(200)
    expect((await call('GET', path, { token: tokens.acmeReader })).status).toBe(200)
    const before = await projectCount('acme')
    const denied = [
      await call('POST', '/tenants/acme/projects', { token: tokens.acmeReader, body: { name: 'no' } }),
      await call('PATCH', path, { token: tokens.acmeReader, body: { version: 1, name: 'no' } }),
      await call('DELETE', path, { token: tokens.acmeReader }),
    ]
    for (const response of denied) {
      expect(response.status).toBe(403)
      expect(response.headers.get('www-authenticate')).toContain('insufficient_scope')
    }
    expect(await projectCount('acme')).toBe(before)
    expect((await call('GET', path, { token: tokens.acmeAdmin })).json()).toMatchObject({
      name: 'Read me',
      version: 1,
    })
  })

  it('a token without any role reads nothing (403)', async () => {
    expect((await call('GET', '/tenants/acme/projects', { token: tokens.acmeNoRole })).status).toBe(403)
  })
})

describe('tenant isolation: cross-tenant attempts on every route, none succeeds', () => {
  it("globex's admin cannot touch acme through any route", async () => {
    const { projectId } = await createProject('acme', tokens.acmeAdmin!, 'Secret plans')
    const path = `/tenants/acme/projects/${projectId}`
    const attempts = [
      await call('GET', '/tenants/acme/projects', { token: tokens.globexAdmin }),
      await call('POST', '/tenants/acme/projects', { token: tokens.globexAdmin, body: { name: 'intruder' } }),
      await call('GET', path, { token: tokens.globexAdmin }),
      await call('PATCH', path, { token: tokens.globexAdmin, body: { version: 1, name: 'pwned' } }),
      await call('DELETE', path, { token: tokens.globexAdmin }),
    ]
    expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403, 403])
    // Naming their own tenant with acme's project id finds nothing: data is partitioned by tenant.
    const ownPath = `/tenants/globex/projects/${projectId}`
    const viaOwnTenant = [
      await call('GET', ownPath, { token: tokens.globexAdmin }),
      await call('PATCH', ownPath, { token: tokens.globexAdmin, body: { version: 1, name: 'pwned' } }),
      await call('DELETE', ownPath, { token: tokens.globexAdmin }),
    ]
    expect(viaOwnTenant.map((r) => r.status)).toEqual([404, 404, 404])
    expect((await call('GET', path, { token: tokens.acmeAdmin })).json()).toMatchObject({
      name: 'Secret plans',
      version: 1,
    })
  })

  it("a body naming another tenant is refused, and acme's service key cannot read globex", async () => {
    const smuggled = await call('POST', '/tenants/globex/projects', {
      token: tokens.globexAdmin,
      body: { name: 'x', tenantId: 'acme' },
    })
    expect(smuggled.status).toBe(422)
    expect((await signedCall('/service/tenants/globex/projects')).status).toBe(403)
  })

  it("a cursor copied from another tenant's listing never reveals that tenant's items", async () => {
    await createProject('acme', tokens.acmeAdmin!, 'a1')
    await createProject('acme', tokens.acmeAdmin!, 'a2')
    const acmePage = (await call('GET', '/tenants/acme/projects?limit=1', { token: tokens.acmeAdmin })).json()
    const stolen = await call('GET', `/tenants/globex/projects?cursor=${acmePage.nextCursor}`, {
      token: tokens.globexAdmin,
    })
    expect(stolen.status).toBe(200)
    for (const item of stolen.json().items as { tenantId: string }[]) expect(item.tenantId).toBe('globex')
  })
})

describe('authentication failures', () => {
  it('no token, a tampered, expired or foreign token: 401 problem+json that says nothing of why', async () => {
    const parts = tokens.acmeAdmin!.split('.')
    const tampered = `${parts[0]}.${Buffer.from(JSON.stringify({ sub: 'ada', roles: ['admin'], tenant: 'globex' })).toString('base64url')}.${parts[2]}`
    const expired = await stack.issuers.acme.sign({ sub: 'ada', roles: ['admin'] }, { expiresIn: -600 })
    const { createTestIssuer } = await import('@lift/testing')
    const stranger = await createTestIssuer({
      alg: 'HS256',
      issuer: 'https://evil.example',
      audience: 'projects-api',
    })
    const foreign = await stranger.sign({ sub: 'mallory', roles: ['admin'] })
    for (const token of [undefined, tampered, expired, foreign, 'not-a-jwt']) {
      const response = await call('GET', '/tenants/acme/projects', { ...(token ? { token } : {}) })
      expect(response.status).toBe(401)
      expect(response.headers.get('content-type')).toBe('application/problem+json')
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
      expect(response.text).not.toMatch(/expired|signature|issuer|stack/i)
    }
  })
})

describe('bodies', () => {
  it('bad JSON is a 400, a wrong shape a 422 listing the problems, a wrong media type a 415; nothing written', async () => {
    const before = await projectCount('acme')
    const badJson = await call('POST', '/tenants/acme/projects', {
      token: tokens.acmeAdmin,
      rawBody: '{"name":',
    })
    expect(badJson.status).toBe(400)
    expect(badJson.json()).toMatchObject({ code: 'invalid-json' })
    const wrongShape = await call('POST', '/tenants/acme/projects', {
      token: tokens.acmeAdmin,
      body: { name: 42, status: 'deleted', extra: true },
    })
    expect(wrongShape.status).toBe(422)
    expect(wrongShape.json().errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/name' }),
        expect.objectContaining({ pointer: '/status' }),
      ]),
    )
    const text = await call('POST', '/tenants/acme/projects', {
      token: tokens.acmeAdmin,
      rawBody: 'name=x',
      headers: { 'content-type': 'text/plain' },
    })
    expect(text.status).toBe(415)
    const noChange = await call('PATCH', '/tenants/acme/projects/00000000-0000-4000-8000-000000000000', {
      token: tokens.acmeAdmin,
      body: { version: 1 },
    })
    expect(noChange.status).toBe(422)
    for (const response of [badJson, wrongShape, text, noChange])
      expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(await projectCount('acme')).toBe(before)
  })

  it('a bad limit or version parameter is a clear 4xx', async () => {
    expect((await call('GET', '/tenants/acme/projects?limit=1000', { token: tokens.acmeAdmin })).status).toBe(
      400,
    )
    const bad = await call(
      'DELETE',
      '/tenants/acme/projects/00000000-0000-4000-8000-000000000000?version=abc',
      {
        token: tokens.acmeAdmin,
      },
    )
    expect(bad.status).toBe(422)
  })

  it('a cursor that no listing handed out (too long for a DynamoDB sort key) is a 400, not a 500', async () => {
    for (const cursor of ['a'.repeat(2000), 'not-a-project-id']) {
      const response = await call('GET', `/tenants/acme/projects?cursor=${cursor}`, {
        token: tokens.acmeAdmin,
      })
      const code = response.text ? response.json().code : undefined
      expect({ cursor: cursor.slice(0, 16), status: response.status, code }).toEqual({
        cursor: cursor.slice(0, 16),
        status: 400,
        code: 'invalid-cursor',
      })
    }
  })
})

function signedRequest(path: string) {
  const url = `${stack.url}${path}`
  const signature = signRequest(
    { method: 'GET', url, headers: {} },
    {
      keyId: SERVICE_KEY_ID,
      key: stack.serviceKey,
      alg: 'hmac-sha256',
      nonce: true,
      created: Math.floor(clock / 1000),
    },
  )
  return { url, headers: { ...signature } as Record<string, string> }
}

async function signedCall(path: string) {
  const { url, headers } = signedRequest(path)
  const response = await fetch(url, { headers })
  return { status: response.status, text: await response.text() }
}

describe('signed service route (RFC 9421)', () => {
  it("acme's backend lists acme's projects; a replay, a changed path and an unsigned call are 401", async () => {
    await createProject('acme', tokens.acmeAdmin!, 'For the backend')
    const { url, headers } = signedRequest('/service/tenants/acme/projects')
    const first = await fetch(url, { headers })
    expect(first.status).toBe(200)
    expect(((await first.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0)
    expect((await fetch(url, { headers })).status).toBe(401)
    const moved = signedRequest('/service/tenants/acme/projects')
    expect((await fetch(`${moved.url}?limit=1`, { headers: moved.headers })).status).toBe(401)
    expect((await fetch(url)).status).toBe(401)
    // A user token is no signature.
    expect((await call('GET', '/service/tenants/acme/projects', { token: tokens.acmeAdmin })).status).toBe(
      401,
    )
  })
})

describe('rate limits', () => {
  it('per principal: a free-plan burst admits exactly 10 of 15 at once, then 429 with Retry-After', async () => {
    const freeUser = await stack.token('acme', 'fred', ['reader'])
    const responses = await Promise.all(
      Array.from({ length: 15 }, () => call('GET', '/tenants/acme/projects', { token: freeUser })),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 200)).toHaveLength(10)
    expect(statuses.filter((s) => s === 429)).toHaveLength(5)
    const limited = responses.find((r) => r.status === 429)!
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    expect(limited.json()).toMatchObject({ status: 429 })
    const admitted = responses.find((r) => r.status === 200)!
    expect(admitted.headers.get('ratelimit-policy')).toContain('"burst";q=10;w=1')
    expect(admitted.headers.get('ratelimit')).toMatch(/^"[a-z]+";r=\d+;t=\d+$/)
    // Another principal of the same tenant is not affected.
    expect((await call('GET', '/tenants/acme/projects', { token: tokens.acmeReader })).status).toBe(200)
  })

  it('per IP on the anonymous route: 30 a minute', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 31; i++) statuses.push((await call('GET', '/status')).status)
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true)
    expect(statuses[30]).toBe(429)
  })
})

describe('health, status and headers', () => {
  it('answers health without credentials: status only for everyone, details with the health token', async () => {
    expect((await call('GET', '/health/live')).status).toBe(200)
    const anonymous = await call('GET', '/health')
    expect(anonymous.status).toBe(200)
    expect(anonymous.headers.get('content-type')).toContain('application/health+json')
    expect(Object.keys(anonymous.json())).toEqual(['status'])
    const detailed = await call('GET', '/health', { headers: { 'x-health-token': stack.healthToken } })
    expect(Object.keys(detailed.json().checks as object)).toEqual(
      expect.arrayContaining(['dynamodb:responseTime', 'guard-table:responseTime']),
    )
    expect((await call('GET', '/health/ready')).status).toBe(200)
  })

  it('every response carries the security headers, and CORS answers the allowed origin only', async () => {
    const allowed = await call('GET', '/status', { headers: { origin: 'http://localhost:5173' } })
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(allowed.headers.get('strict-transport-security')).toContain('max-age=')
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff')
    const foreign = await call('GET', '/status', { headers: { origin: 'https://evil.example' } })
    expect(foreign.headers.get('access-control-allow-origin')).not.toBe('https://evil.example')
    const denied = await call('GET', '/tenants/acme/projects')
    expect(denied.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it("a browser's CORS preflight reaches the function (the HTTP API has no CORS of its own) and is answered", async () => {
    // Authorization and a JSON body make every cross-origin call preflighted: without a route for OPTIONS,
    // API Gateway answers it 404 and the browser never sends the call.
    const preflight = await call('OPTIONS', '/tenants/acme/projects', {
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type,idempotency-key',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization')
    const foreign = await call('OPTIONS', '/tenants/acme/projects', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(foreign.headers.get('access-control-allow-origin')).not.toBe('https://evil.example')
  })

  it('unknown routes are 404, as API Gateway answers them', async () => {
    const response = await call('GET', '/nope')
    expect(response.status).toBe(404)
  })
})
