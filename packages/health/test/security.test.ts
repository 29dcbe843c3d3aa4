import { type AddressInfo, createServer, type Socket } from 'node:net'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createSecretsProvider } from '@lift/security-core'
import { detailsFromIps, detailsWhenHeader, httpCheck } from '../src/index'
import { harness, healthEvents } from './support/harness'
import { expectHealthJson } from './support/health-schema'
import { type HttpTargets, startHttpTargets } from './support/http-targets'

const SECRET = 'health-details-0123456789abcdef'
const DEPENDENCY_ERROR = 'password authentication failed for user orders (host db-internal.corp:5432)'

let targets: HttpTargets

beforeAll(async () => {
  targets = await startHttpTargets()
})

afterAll(async () => {
  await targets.close()
})

function guarded(options: Parameters<typeof harness>[0] = {}) {
  return harness({
    checks: {
      'db:responseTime': async () => {
        throw new Error(DEPENDENCY_ERROR)
      },
      'upstream:responseTime': httpCheck({ url: `${targets.url}/error`, critical: false }),
    },
    details: detailsWhenHeader({ header: 'x-health-secret', secret: SECRET }),
    version: '3.1.4-internal',
    serviceId: 'orders-api',
    cacheTtlMs: 0,
    ...options,
  })
}

async function expectNoDetails(body: string): Promise<void> {
  expect(expectHealthJson(body)).toEqual({ status: 'fail' })
  expect(body).not.toContain('password')
  expect(body).not.toContain('3.1.4')
}

describe('health details: attack suite', () => {
  it('baseline: the right secret in the right header sees outputs and version', async () => {
    const answer = await guarded().request({ path: '/health', headers: { 'x-health-secret': SECRET } })
    const report = expectHealthJson(answer.body) as {
      version: string
      checks: Record<string, { output: string }[]>
    }
    expect(report.version).toBe('3.1.4-internal')
    expect(report.checks['db:responseTime']![0]!.output).toBe(DEPENDENCY_ERROR)
    expect(report.checks['upstream:responseTime']![0]!.output).toBe('unexpected status 500')
  })

  it('an anonymous caller never sees dependency error text, on any health path or method', async () => {
    const h = guarded()
    for (const path of ['/health', '/health/ready', '/health/live']) {
      for (const method of ['GET', 'HEAD']) {
        const answer = await h.request({ path, method })
        expect(answer.body).not.toContain('password')
        expect(answer.body).not.toContain('unexpected status')
        expect(answer.body).not.toContain('3.1.4')
      }
    }
  })

  it("anonymous: 'checks' shows statuses but still no dependency error text", async () => {
    const answer = await guarded({ anonymous: 'checks' }).request({ path: '/health' })
    expect(expectHealthJson(answer.body)).toEqual({
      status: 'fail',
      checks: { 'db:responseTime': [{ status: 'fail' }], 'upstream:responseTime': [{ status: 'fail' }] },
    })
  })

  it('a wrong secret gets no details', async () => {
    const answer = await guarded().request({
      path: '/health',
      headers: { 'x-health-secret': 'health-details-0123456789abcdeX' },
    })
    await expectNoDetails(answer.body)
  })

  it('a header secret of a different length gets no details (a prefix, or the secret plus more)', async () => {
    const h = guarded()
    for (const attempt of [SECRET.slice(0, -1), `${SECRET}0`, SECRET.slice(0, 16), `${SECRET}${SECRET}`]) {
      await expectNoDetails(
        (await h.request({ path: '/health', headers: { 'x-health-secret': attempt } })).body,
      )
    }
  })

  it('the secret in another case, or in another header, gets no details', async () => {
    const h = guarded()
    const attempts: Record<string, string>[] = [
      { 'x-health-secret': SECRET.toUpperCase() },
      { authorization: SECRET },
      { 'x-health-secrets': SECRET },
      { 'x-health-secret': '' },
    ]
    for (const headers of attempts)
      await expectNoDetails((await h.request({ path: '/health', headers })).body)
  })

  it('the header name itself is case-insensitive (HTTP field names are)', async () => {
    const answer = await guarded().request({ path: '/health', headers: { 'X-Health-Secret': SECRET } })
    expect(answer.body).toContain(DEPENDENCY_ERROR)
  })

  it('a details policy that throws or rejects fails closed', async () => {
    for (const details of [
      () => {
        throw new Error('boom')
      },
      async () => Promise.reject(new Error('boom')),
      (async () => 'yes') as never,
    ]) {
      await expectNoDetails((await guarded({ details }).request({ path: '/health' })).body)
    }
  })

  it('a secret that cannot be read (secret store down) fails closed', async () => {
    const details = detailsWhenHeader({
      header: 'x-health-secret',
      secret: async () => {
        throw new Error('Secrets Manager unavailable')
      },
    })
    const answer = await guarded({ details }).request({
      path: '/health',
      headers: { 'x-health-secret': SECRET },
    })
    await expectNoDetails(answer.body)
  })

  it('a secret store that accepts connections and never answers cannot hang the health request', async () => {
    // Secrets Manager on 127.0.0.1 that takes the TCP connection and never answers (a VPC without a route).
    const sockets: Socket[] = []
    const silent = createServer((socket) => {
      sockets.push(socket.on('error', () => {}))
    })
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    const client = new SecretsManagerClient({
      endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    })
    try {
      const secrets = createSecretsProvider({ client })
      const details = detailsWhenHeader({
        header: 'x-health-secret',
        secret: () => secrets.get('prod/health-secret') as Promise<string>,
      })
      const health = guarded({ details, timeoutMs: 100 })
      // Any value in the header makes the policy read the secret: a caller must not be able to hold the function.
      for (const path of ['/health/live', '/health']) {
        const answer = await Promise.race([
          health.request({ path, headers: { 'x-health-secret': 'guess' } }),
          new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 2_000)),
        ])
        expect(answer).not.toBe('hung')
        expect(JSON.parse((answer as { body: string }).body)).toEqual({
          status: path === '/health' ? 'fail' : 'pass',
        })
      }
    } finally {
      client.destroy()
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  })

  it('a secret source that yields a short value never grants details (not even to that value)', async () => {
    const details = detailsWhenHeader({ header: 'x-health-secret', secret: async () => 'short' })
    const answer = await guarded({ details }).request({
      path: '/health',
      headers: { 'x-health-secret': 'short' },
    })
    await expectNoDetails(answer.body)
  })

  it('a secret read through a function grants details when it matches', async () => {
    const details = detailsWhenHeader({ header: 'x-health-secret', secret: async () => SECRET })
    const answer = await guarded({ details }).request({
      path: '/health',
      headers: { 'x-health-secret': SECRET },
    })
    expect(answer.body).toContain(DEPENDENCY_ERROR)
  })

  it('a spoofed X-Forwarded-For does not pass an IP allow-list (the source IP is API Gateway’s)', async () => {
    const h = guarded({ details: detailsFromIps(['10.0.0.0/8']) })
    const spoofed = await h.request({
      path: '/health',
      sourceIp: '198.51.100.7',
      headers: { 'x-forwarded-for': '10.1.2.3' },
    })
    await expectNoDetails(spoofed.body)
    const internal = await h.request({ path: '/health', sourceIp: '10.1.2.3' })
    expect(internal.body).toContain(DEPENDENCY_ERROR)
  })

  it('an upstream’s response body never reaches the report, even with details', async () => {
    const answer = await guarded().request({ path: '/health', headers: { 'x-health-secret': SECRET } })
    expect(answer.body).not.toContain('hunter2')
  })

  it('the secret never appears in a response or a security event', async () => {
    const h = guarded()
    const { result, events } = await healthEvents(() =>
      h.request({ path: '/health', headers: { 'x-health-secret': SECRET } }),
    )
    expect(result.body).not.toContain(SECRET)
    expect(JSON.stringify(events)).not.toContain(SECRET)
    expect(JSON.stringify(events)).not.toContain('password')
    expect(events[0]!.detail).toEqual(expect.objectContaining({ details: true }))
  })
})

describe('health details: a guessed secret is a recorded denial', () => {
  const decisions = (
    events: { outcome: string; reason: string; detail?: Readonly<Record<string, unknown>> }[],
  ) => events.map((e) => ({ outcome: e.outcome, reason: e.reason, details: e.detail?.details }))

  it('attack: guessing the details secret (presented but wrong) is exactly one deny event with reason invalid-health-token, and no details', async () => {
    const h = guarded({ checks: { 'db:responseTime': () => ({ status: 'pass' }) } })
    const { result, events } = await healthEvents(() =>
      h.request({ path: '/health', headers: { 'x-health-secret': 'health-details-0123456789abcdeX' } }),
    )
    expect(result.statusCode).toBe(200)
    expect(expectHealthJson(result.body)).toEqual({ status: 'pass' })
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      type: 'health',
      outcome: 'deny',
      reason: 'invalid-health-token',
      detail: expect.objectContaining({ details: false, status: 'pass', path: '/health' }),
    })
    expect(JSON.stringify(events)).not.toContain('health-details-0123456789abcde')
  })

  it('attack: a wrong secret on the liveness path is a denial too, and gets the anonymous body', async () => {
    const { result, events } = await healthEvents(() =>
      guarded().request({ path: '/health/live', headers: { 'x-health-secret': 'guess-guess-guess-guess' } }),
    )
    expect(expectHealthJson(result.body)).toEqual({ status: 'pass' })
    expect(decisions(events)).toEqual([{ outcome: 'deny', reason: 'invalid-health-token', details: false }])
  })

  it('no secret at all stays an allow without details (a probe is not an attack)', async () => {
    const h = guarded({ checks: { 'db:responseTime': () => ({ status: 'pass' }) } })
    const { events } = await healthEvents(async () => {
      await h.request({ path: '/health' })
      await h.request({ path: '/health', headers: { 'x-health-secret': '' } })
    })
    expect(decisions(events)).toEqual([
      { outcome: 'allow', reason: 'pass', details: false },
      { outcome: 'allow', reason: 'pass', details: false },
    ])
  })

  it('the right secret is an allow with details', async () => {
    const h = guarded({ checks: { 'db:responseTime': () => ({ status: 'pass', output: 'fine' }) } })
    const { result, events } = await healthEvents(() =>
      h.request({ path: '/health', headers: { 'x-health-secret': SECRET } }),
    )
    expect(result.body).toContain('3.1.4-internal')
    expect(decisions(events)).toEqual([{ outcome: 'allow', reason: 'pass', details: true }])
  })

  it('a wrong secret while the report fails is still one event: the denial, with the failing status in its detail', async () => {
    const { events } = await healthEvents(() =>
      guarded().request({
        path: '/health',
        headers: { 'x-health-secret': 'health-details-0123456789abcdeX' },
      }),
    )
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({ outcome: 'deny', reason: 'invalid-health-token' })
    expect(events[0]!.detail).toEqual(
      expect.objectContaining({ status: 'fail', failing: ['db:responseTime', 'upstream:responseTime'] }),
    )
  })

  it('the readiness path never asks the policy, so a secret there is neither details nor a denial', async () => {
    const { events } = await healthEvents(() =>
      guarded().request({ path: '/health/ready', headers: { 'x-health-secret': 'wrong-wrong-wrong-wrong' } }),
    )
    expect(decisions(events)).toEqual([{ outcome: 'deny', reason: 'fail', details: false }])
  })

  it('a custom policy denies through decision.deny(); a denial wins over a grant, and an unsafe reason is replaced', async () => {
    const ask = (details: NonNullable<Parameters<typeof guarded>[0]>['details']) =>
      healthEvents(() => guarded({ details }).request({ path: '/health' }))
    const custom = await ask((_view, decision) => {
      decision.deny('invalid-ops-key')
      return true
    })
    await expectNoDetails(custom.result.body)
    expect(custom.events.map((e) => e.reason)).toEqual(['invalid-ops-key'])
    const unsafe = await ask((_view, decision) => {
      decision.deny('token=abc def\nforged')
      decision.deny('second')
      return false
    })
    expect(unsafe.events.map((e) => e.reason)).toEqual(['details-denied'])
    const thrown = await ask((_view, decision) => {
      decision.deny('invalid-ops-key')
      throw new Error('boom')
    })
    expect(thrown.events.map((e) => `${e.outcome} ${e.reason}`)).toEqual(['deny invalid-ops-key'])
  })
})

describe('detailsWhenHeader() and detailsFromIps() validate their options', () => {
  it('rejects a short secret, a bad header name and a bad secret type', () => {
    expect(() => detailsWhenHeader({ header: 'x-health-secret', secret: 'too-short' })).toThrow(/at least 16/)
    expect(() => detailsWhenHeader({ header: 'x health', secret: SECRET })).toThrow(
      /header must be a header name/,
    )
    expect(() => detailsWhenHeader({ header: 'x-h', secret: 42 as never })).toThrow(/secret must be a string/)
    expect(() => detailsWhenHeader(null as never)).toThrow(/options must be an object/)
  })

  it('rejects ranges that are not addresses or CIDR ranges', () => {
    for (const bad of [[], ['10.0.0.0/33'], ['not-an-ip'], ['10.0.0.0/8/1'], ['10.0.0.0/x'], [42]]) {
      expect(() => detailsFromIps(bad as never)).toThrow(TypeError)
    }
  })

  it('matches IPv4 and IPv6 addresses and ranges, and refuses a missing or malformed source IP', () => {
    const allowed = detailsFromIps(['192.0.2.7', '2001:db8::/32', '10.0.0.0/8'])
    const view = (sourceIp: string | undefined) => ({ sourceIp }) as never
    expect(allowed(view('192.0.2.7'))).toBe(true)
    expect(allowed(view('192.0.2.8'))).toBe(false)
    expect(allowed(view('2001:db8::1'))).toBe(true)
    expect(allowed(view('2001:db9::1'))).toBe(false)
    expect(allowed(view('10.255.0.1'))).toBe(true)
    expect(allowed(view(undefined))).toBe(false)
    expect(allowed(view('10.0.0.1, 1.2.3.4'))).toBe(false)
  })
})
