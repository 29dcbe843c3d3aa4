// Audit coverage: every security decision that a Lift package makes becomes exactly one audit record,
// attributed to its own invocation, with its denials counted as metrics.

import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { authorize, jwtAuth } from '@lift/auth-jwt'
import { detailsWhenHeader, healthCheck } from '@lift/health'
import { memoryStore, rateLimit } from '@lift/rate-limit'
import { signRequest, verifySignature } from '@lift/request-signing'
import { httpRequestView, publishSecurityEvent } from '@lift/security-core'
import {
  apiGatewayV2Event,
  createTestIssuer,
  lambdaContext,
  type SymmetricTestIssuer,
  signedTestEvent,
} from '@lift/testing'
import middy, { type MiddlewareObj } from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { stopListening } from '../src/audit'
import { observability } from '../src/index'
import { type Captured, captureOutput } from './support/capture'

let out: Captured
let issuer: SymmetricTestIssuer
const savedEnv = { ...process.env }
const serviceKey = 'a-32-byte-long-service-hmac-key!'

beforeAll(async () => {
  process.env.POWERTOOLS_METRICS_NAMESPACE = 'LiftTest'
  process.env.POWERTOOLS_SERVICE_NAME = 'orders'
  issuer = await createTestIssuer({ alg: 'HS256', audience: 'api' })
})
afterAll(() => {
  process.env = savedEnv
})
afterEach(() => {
  out?.restore()
  stopListening()
})

let healthy = true

/** One API with every Lift middleware: JWT routes, a signed route, health, a rate limit and roles. */
function fullStack() {
  const user = jwtAuth({
    issuers: [
      {
        issuer: issuer.issuer,
        audience: 'api',
        algorithms: ['HS256'],
        secret: issuer.secret,
        tenantId: 'acme',
      },
    ],
  })
  const signed = verifySignature({
    keys: { billing: { key: serviceKey, alg: 'hmac-sha256', principalId: 'billing', tenantId: 'acme' } },
  })
  const limit = rateLimit({
    key: 'principal',
    limits: [{ name: 'burst', limit: 1, windowSec: 60, algorithm: 'fixed-window' }],
    store: memoryStore(),
  })
  const admins = authorize({ roles: { anyOf: ['admin'] } })
  const route = (...middlewares: MiddlewareObj[]) =>
    middy()
      .use(middlewares)
      .handler(async () => ({ statusCode: 200, body: 'ok' }))
  const routes: Record<string, ReturnType<typeof route>> = {
    'GET /admin': route(user, limit, admins),
    'POST /service': route(signed, limit),
  }
  return middy()
    .use(observability({ logger: new Logger(), metrics: new Metrics(), audit: true }))
    .use(
      healthCheck({
        checks: { 'db:responseTime': () => ({ status: healthy ? 'pass' : 'fail' }) },
        cacheTtlMs: 0,
      }),
    )
    .use(httpErrorHandler({ logger: false }))
    .handler((event: unknown, context) => routes[httpRequestView(event).routeKey!]!(event, context))
}

const audits = () => out.logs().filter((line) => line.audit === true)
const decisions = () => audits().map((line) => `${line.type} ${line.decision}`)

describe('audit records', () => {
  it('every decision of every Lift package becomes exactly one record, none extra', async () => {
    const handler = fullStack()
    const admin = await issuer.sign({ sub: 'ada', roles: ['admin'] })
    const member = await issuer.sign({ sub: 'max', roles: ['member'] })
    const get = (token?: string) =>
      apiGatewayV2Event({
        routeKey: 'GET /admin',
        path: '/admin',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      })
    const signedEvent = () =>
      signedTestEvent(
        {
          method: 'POST',
          url: 'https://api.example.com/service',
          body: '{}',
          routeKey: 'POST /service',
        } as never,
        { sign: signRequest, keyId: 'billing', key: serviceKey, alg: 'hmac-sha256' },
      )
    out = captureOutput()
    const statuses: number[] = []
    const run = async (event: unknown) =>
      statuses.push(((await handler(event, lambdaContext())) as { statusCode: number }).statusCode)
    await run(get(admin)) // authn allow, ratelimit allow, authz allow
    await run(get(`${admin}x`)) // authn deny
    await run(get(member)) // authn allow, ratelimit allow, authz deny
    await run(get(admin)) // authn allow, ratelimit deny (limit 1 for ada)
    await run(signedEvent()) // signature allow, ratelimit allow
    const tampered = signedEvent() as { body: string }
    tampered.body = '{"x":1}'
    await run(tampered) // signature deny
    await run(apiGatewayV2Event({ path: '/health', routeKey: 'GET /health' })) // health allow
    healthy = false
    await run(apiGatewayV2Event({ path: '/health', routeKey: 'GET /health' })) // health deny
    healthy = true
    out.restore()

    expect(statuses).toEqual([200, 401, 403, 429, 200, 401, 200, 503])
    // Every line is structured: no stray warnings (e.g. Powertools' "No application metrics to publish").
    expect(out.json()).toHaveLength(out.lines.length)
    expect(decisions()).toEqual([
      'authn.jwt allow',
      'ratelimit allow',
      'authz allow',
      'authn.jwt deny',
      'authn.jwt allow',
      'ratelimit allow',
      'authz deny',
      'authn.jwt allow',
      'ratelimit deny',
      'signature allow',
      'ratelimit allow',
      'signature deny',
      'health allow',
      'health deny',
    ])
    for (const record of audits()) {
      expect(record).toMatchObject({
        awsRequestId: expect.any(String),
        correlationId: expect.any(String),
        reason: expect.any(String),
      })
    }
    const denials = out.emf().filter((blob) => !('Latency' in blob) && !('ColdStart' in blob))
    const counted = denials.flatMap((blob) =>
      ['AuthFailures', 'AuthzDenied', 'RateLimited', 'SignatureFailures', 'HealthCheckFailures'].filter(
        (m) => m in blob,
      ),
    )
    expect(counted.sort()).toEqual([
      'AuthFailures',
      'AuthzDenied',
      'HealthCheckFailures',
      'RateLimited',
      'SignatureFailures',
    ])
  })

  it('attack: a guessed x-health-token is one health deny record (invalid-health-token) counted as AuthFailures; no token is an allow; the right one an allow with details', async () => {
    const token = 'health-token-0123456789abcdef'
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics(), audit: true }))
      .use(
        healthCheck({
          checks: { 'db:responseTime': () => ({ status: 'pass' }) },
          details: detailsWhenHeader({ header: 'x-health-token', secret: token }),
          cacheTtlMs: 0,
        }),
      )
      .handler(async () => ({ statusCode: 200, body: 'ok' }))
    const health = (headers: Record<string, string>) =>
      handler(apiGatewayV2Event({ path: '/health', routeKey: 'GET /health', headers }), lambdaContext())
    out = captureOutput()
    const wrong = (await health({ 'x-health-token': 'health-token-0123456789abcdeX' })) as { body: string }
    const wrongRecords = audits()
    const wrongMetrics = out.emf()
    out.clear()
    await health({})
    const anonymousRecords = audits()
    const anonymousMetrics = out.emf()
    out.clear()
    await health({ 'x-health-token': token })
    out.restore()

    expect(JSON.parse(wrong.body)).toEqual({ status: 'pass' })
    expect(wrongRecords).toHaveLength(1)
    expect(wrongRecords[0]).toMatchObject({
      type: 'health',
      decision: 'deny',
      reason: 'invalid-health-token',
      detail: expect.objectContaining({ details: false, status: 'pass' }),
    })
    expect(wrongMetrics.filter((blob) => 'AuthFailures' in blob).map((blob) => blob.AuthFailures)).toEqual([
      1,
    ])
    expect(wrongMetrics.some((blob) => 'HealthCheckFailures' in blob)).toBe(false)
    expect(
      anonymousRecords.map((r) => [r.decision, r.reason, (r.detail as { details: boolean }).details]),
    ).toEqual([['allow', 'pass', false]])
    expect(anonymousMetrics.some((blob) => 'AuthFailures' in blob || 'HealthCheckFailures' in blob)).toBe(
      false,
    )
    expect(audits().map((r) => [r.decision, r.reason, (r.detail as { details: boolean }).details])).toEqual([
      ['allow', 'pass', true],
    ])
    expect(out.lines.join('\n')).not.toContain('health-token-0123456789abcde')
  })

  it('attributes each record to its own invocation when invocations interleave', async () => {
    const logger = new Logger()
    const auth = jwtAuth({
      issuers: [{ issuer: issuer.issuer, audience: 'api', algorithms: ['HS256'], secret: issuer.secret }],
    })
    const slow: MiddlewareObj = {
      before: () => new Promise((resolve) => setTimeout(resolve, Math.random() * 20)),
    }
    const handler = middy()
      .use(observability({ logger, metrics: new Metrics(), audit: true }))
      .use(slow)
      .use(auth)
      .use(slow)
      .use(
        authorize({
          check: async () => {
            await new Promise((r) => setTimeout(r, Math.random() * 20))
            return true
          },
        }),
      )
      .handler(async () => ({ statusCode: 200, body: 'ok' }))
    const users = Array.from({ length: 20 }, (_, i) => `user-${i}`)
    const tokens = await Promise.all(users.map((sub) => issuer.sign({ sub })))
    out = captureOutput()
    await Promise.all(
      users.map((sub, i) =>
        handler(
          apiGatewayV2Event({
            headers: { authorization: `Bearer ${tokens[i]}`, 'x-correlation-id': `corr-${sub}` },
          }),
          lambdaContext(),
        ),
      ),
    )
    out.restore()
    const records = audits()
    expect(records).toHaveLength(40)
    for (const record of records) expect(record.correlationId).toBe(`corr-${record.principalId}`)
  })

  it('subscribes once per container however many instances there are; events outside invocations are kept', async () => {
    const logger = new Logger()
    const instances = [1, 2, 3].map(() => observability({ logger, metrics: new Metrics(), audit: true }))
    const handler = middy()
      .use(instances[0]!)
      .handler(async () => {
        publishSecurityEvent({ type: 'authz', outcome: 'deny', reason: 'custom', at: Date.now() })
        return { statusCode: 200, body: 'ok' }
      })
    out = captureOutput()
    await handler(apiGatewayV2Event(), lambdaContext())
    publishSecurityEvent({ type: 'ratelimit', outcome: 'deny', reason: 'outside', at: Date.now() })
    out.restore()
    expect(decisions()).toEqual(['authz deny', 'ratelimit deny'])
    const outside = audits()[1]!
    expect(outside.awsRequestId).toBeUndefined()
    expect(outside.correlationId).toBeUndefined()
  })

  it.each([true, false])(
    'appends the principal and tenant to log lines as soon as authentication allows, and not to the next invocation (audit %s)',
    async (audit) => {
      const logger = new Logger()
      let phase = 0
      const handler = middy()
        .use(observability({ logger, metrics: new Metrics(), audit }))
        .use(
          jwtAuth({
            issuers: [
              {
                issuer: issuer.issuer,
                audience: 'api',
                algorithms: ['HS256'],
                secret: issuer.secret,
                tenantId: 'acme',
              },
            ],
            credentialsOptional: true,
          }),
        )
        .handler(async () => {
          logger.info(`handler ${phase}`)
          return { statusCode: 200, body: 'ok' }
        })
      const token = await issuer.sign({ sub: 'ada' })
      out = captureOutput()
      await handler(apiGatewayV2Event({ headers: { authorization: `Bearer ${token}` } }), lambdaContext())
      phase = 1
      await handler(apiGatewayV2Event(), lambdaContext())
      out.restore()
      const lines = out.logs()
      expect(lines.find((l) => l.message === 'handler 0')).toMatchObject({
        principal_id: 'ada',
        tenant: 'acme',
      })
      const second = lines.find((l) => l.message === 'handler 1')!
      expect(second.principal_id).toBeUndefined()
      expect(second.tenant).toBeUndefined()
      expect(lines.filter((l) => l.audit === true)).toHaveLength(audit ? 2 : 0) // ada, then anonymous
    },
  )

  it('audit.write receives the records instead of the logger', async () => {
    const records: unknown[] = []
    const handler = middy()
      .use(
        observability({
          logger: new Logger(),
          metrics: new Metrics(),
          audit: { write: (record) => records.push(record) },
        }),
      )
      .handler(async () => {
        publishSecurityEvent({
          type: 'signature',
          outcome: 'deny',
          reason: 'replayed',
          at: Date.now(),
          detail: { token: 'x' },
        })
        return { statusCode: 200, body: 'ok' }
      })
    out = captureOutput()
    await handler(apiGatewayV2Event(), lambdaContext())
    out.restore()
    expect(audits()).toHaveLength(0)
    expect(records).toEqual([
      expect.objectContaining({
        type: 'signature',
        decision: 'deny',
        reason: 'replayed',
        detail: { token: '[REDACTED]' },
      }),
    ])
    expect(() => observability({ audit: { write: 'stdout' } as never })).toThrow('audit.write')
    expect(() => observability({ audit: { metrics: 'yes' } as never })).toThrow('audit.metrics')
  })

  it('audit.metrics: false counts nothing, and without request metrics no Metrics is needed', async () => {
    const handler = middy()
      .use(
        observability({
          logger: new Logger(),
          requestMetrics: false,
          audit: { metrics: false, write: () => {} },
        }),
      )
      .handler(async () => {
        publishSecurityEvent({ type: 'authz', outcome: 'deny', reason: 'x', at: Date.now() })
        return { statusCode: 200, body: 'ok' }
      })
    out = captureOutput()
    await handler(apiGatewayV2Event(), lambdaContext())
    out.restore()
    expect(out.emf()).toHaveLength(0)
  })

  it.each(['WARN', 'ERROR'])(
    'with Lambda log-level filtering at %s (AWS_LAMBDA_LOG_LEVEL) every record is still written, at that level',
    async (level) => {
      process.env.AWS_LAMBDA_LOG_LEVEL = level
      out = captureOutput()
      try {
        const handler = middy()
          .use(observability({ logger: new Logger(), metrics: new Metrics(), audit: true }))
          .handler(async () => {
            publishSecurityEvent({ type: 'authz', outcome: 'deny', reason: 'role-missing', at: Date.now() })
            return { statusCode: 200, body: 'ok' }
          })
        await handler(apiGatewayV2Event(), lambdaContext())
      } finally {
        out.restore()
        delete process.env.AWS_LAMBDA_LOG_LEVEL
      }
      // Lambda drops lines below its level (and lines without a level count as INFO).
      expect(audits()).toEqual([expect.objectContaining({ level, type: 'authz', reason: 'role-missing' })])
    },
  )

  it('audit off: no records', async () => {
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics() }))
      .handler(async () => {
        publishSecurityEvent({ type: 'authz', outcome: 'deny', reason: 'x', at: Date.now() })
        return { statusCode: 200, body: 'ok' }
      })
    out = captureOutput()
    await handler(apiGatewayV2Event(), lambdaContext())
    out.restore()
    expect(audits()).toHaveLength(0)
  })
})
