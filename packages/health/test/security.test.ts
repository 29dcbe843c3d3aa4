import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
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
