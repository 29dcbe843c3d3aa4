// Attack-style tests: secrets planted in headers, query, body and error messages must not reach any
// captured output line (logs, audit records, EMF), whatever their shape.

import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { afterEach, describe, expect, it } from '@jest/globals'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import fc from 'fast-check'
import { createRedactor, observability, REDACTED } from '../src/index'
import { type Captured, captureOutput } from './support/capture'

let out: Captured | undefined
afterEach(() => out?.restore())

process.env.POWERTOOLS_METRICS_NAMESPACE = 'LiftTest'

describe('createRedactor', () => {
  const redactor = createRedactor(['ssn'])

  it('replaces sensitive fields at any depth, whatever their case or separators, and configured ones', () => {
    const redacted = redactor.value({
      headers: {
        Authorization: 'Bearer x',
        COOKIE: 'a=b',
        'X-Api-Key': 'k',
        'signature-input': 's',
        'content-type': 'json',
      },
      body: { user: { password: 'p', SSN: '123', name: 'Ada' }, list: [{ client_secret: 'c' }] },
    })
    expect(redacted).toEqual({
      headers: {
        Authorization: REDACTED,
        COOKIE: REDACTED,
        'X-Api-Key': REDACTED,
        'signature-input': REDACTED,
        'content-type': 'json',
      },
      body: { user: { password: REDACTED, SSN: REDACTED, name: 'Ada' }, list: [{ client_secret: REDACTED }] },
    })
  })

  it.each([
    ['a JWT', 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig-_nature here', 'eyJhbGciOiJIUzI1NiJ9'],
    ['a bearer credential', 'got Bearer abc.DEF-123 from client', 'abc.DEF-123'],
    ['a basic credential', 'Basic dXNlcjpwYXNz=', 'dXNlcjpwYXNz'],
    ['an RFC 9421 signature', 'sig1=:dGhpcyBpcyBhIHNpZ25hdHVyZQ==:', 'dGhpcyBpcyBhIHNpZ25hdHVyZQ'],
    [
      'a webhook signature',
      't=1,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd',
      '5257a869e7ec',
    ],
    ['a token in a URL', 'GET https://x.test/cb?code=abc123&state=1&access_token=zzz', 'abc123'],
    ['a JSON field', '{"user":"ada","password":"hunter2-long","ssn":"123-45"}', 'hunter2-long'],
    ['a form field', 'user=ada&password=hunter2-long&x=1', 'hunter2-long'],
    ['a configured field', 'ssn=123-45-6789', '123-45-6789'],
    [
      'an Authorization header of any scheme',
      'sent Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b',
      '9944b09199c6',
    ],
    [
      'a Proxy-Authorization header',
      'Proxy-Authorization: Negotiate YIIGhgYGKwYBBQUCoIIGejCCBnag',
      'YIIGhgYG',
    ],
    [
      'every cookie of a Cookie header',
      'request had cookie: theme=dark; session=s3ss10nSecretValue',
      's3ss10n',
    ],
    [
      'the password of a connection string',
      'cannot reach postgres://admin:Sup3rS3cretPw@db:5432/orders',
      'Sup3rS3cretPw',
    ],
  ])('masks %s inside any string', (_name, input, secret) => {
    expect(redactor.text(input)).not.toContain(secret)
    expect(redactor.text(input)).toContain(REDACTED)
  })

  it('copes with cycles, buffers, errors and deep objects without throwing', () => {
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    let deep: Record<string, unknown> = { token: 'deepvalue' }
    for (let i = 0; i < 20; i++) deep = { next: deep }
    const value = redactor.value({
      cyclic,
      buffer: Buffer.from('secret'),
      error: new Error('Bearer zzz'),
      deep,
    }) as Record<string, unknown>
    expect(value.buffer).toBe('[6 bytes]')
    expect(JSON.stringify(value)).not.toContain('zzz')
    expect(JSON.stringify(value)).not.toContain('deepvalue')
  })

  it('does not mutate its input', () => {
    const input = { authorization: 'x' }
    redactor.value(input)
    expect(input.authorization).toBe('x')
  })
})

describe('nothing secret reaches the output', () => {
  const secret = fc.stringMatching(/^[A-Za-z0-9]{24,40}$/)
  const jwt = fc.tuple(secret, secret, secret).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`)

  it('secrets in headers, query, body and error messages (fuzzed), logged with logEvent and audit on', async () => {
    const logger = new Logger()
    const handler = middy()
      .use(observability({ logger, metrics: new Metrics(), logEvent: true, audit: true, redact: ['pin'] }))
      .use(httpErrorHandler({ logger: false }))
      .handler(async (event: unknown) => {
        throw new Error(`failed for ${(event as { body?: string }).body}`)
      })
    await fc.assert(
      fc.asyncProperty(secret, jwt, secret, async (plain, token, pin) => {
        out = captureOutput()
        const event = apiGatewayV2Event({
          method: 'POST',
          path: '/login',
          query: { access_token: plain },
          headers: { authorization: `Bearer ${token}`, cookie: `session=${plain}`, 'x-api-key': plain },
          body: JSON.stringify({ password: plain, pin, note: `token=${token}` }),
        })
        await handler(event, lambdaContext())
        out.restore()
        const text = out.lines.join('\n')
        expect(out.lines.length).toBeGreaterThan(0)
        for (const planted of [plain, token, pin]) expect(text).not.toContain(planted)
      }),
      { numRuns: 40 },
    )
  })

  it('signature and token headers of webhook and API schemes (GitHub, Standard Webhooks, Slack, session tokens) and presigned URLs are masked', async () => {
    const secrets = {
      'x-hub-signature-256': 'sha256=0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9',
      'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'x-auth-token': 'opaqueSessionTokenValue1',
      'x-amz-security-token': 'IQoJb3JpZ2luX2VjEJr0aGVzZXNzaW9u',
    }
    const presigned =
      'https://bucket.s3.amazonaws.com/k?X-Amz-Credential=AKIAEXAMPLE%2F20260101&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLE&X-Amz-Signature=0123abcd'
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics(), logEvent: true }))
      .use(httpErrorHandler({ logger: false }))
      .handler(async () => {
        throw new Error(`GET ${presigned} failed`)
      })
    out = captureOutput()
    await handler(apiGatewayV2Event({ method: 'POST', path: '/hooks', headers: secrets }), lambdaContext())
    out.restore()
    const text = out.lines.join('\n')
    expect(text).toContain('x-hub-signature-256')
    for (const value of Object.values(secrets)) expect(text).not.toContain(value.slice(4))
    for (const value of ['FwoGZXIvYXdzEXAMPLE', '0123abcd']) expect(text).not.toContain(value)
  })

  it('logEvent: a base64 body (a form post through a Function URL or HTTP API) is redacted decoded, a binary one not logged', async () => {
    const form = Buffer.from('username=ada&password=hunter2-long-pw').toString('base64')
    const binary = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46]).toString('base64')
    const handler = middy()
      .use(observability({ logger: new Logger(), metrics: new Metrics(), logEvent: true }))
      .handler(async () => ({ statusCode: 204 }))
    out = captureOutput()
    for (const body of [form, binary]) {
      await handler(
        apiGatewayV2Event({
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
          isBase64Encoded: true,
        }),
        lambdaContext(),
      )
    }
    out.restore()
    const bodies = out
      .logs()
      .filter((line) => line.message === 'event')
      .map((line) => (line.event as { body: unknown }).body)
    expect(bodies).toEqual([`username=ada&password=${REDACTED}`, '[8 bytes]'])
    expect(out.lines.join('\n')).not.toContain(form)
  })
})
