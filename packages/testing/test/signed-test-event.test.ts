import { randomBytes } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import middy from '@middy/core'
// Imported from source by a relative path on purpose: @lift/testing declares no dependency on
// @lift/request-signing (that package tests with @lift/testing, so a package.json edge either way is a
// turbo build cycle). Jest's moduleNameMapper would also resolve '@lift/request-signing', but tsc
// resolves bare names through node_modules, where an undeclared workspace package does not exist.
import { memoryNonceStore, signRequest, verifySignature } from '../../request-signing/src/index'
import { type SignableTestRequest, signedTestEvent } from '../src/index'

const NOW_MS = 1_750_000_000_000
const now = (): number => NOW_MS
const secret = randomBytes(32)
const sign = { sign: signRequest, keyId: 'svc', key: secret, alg: 'hmac-sha256' as const, now }
const keys = { svc: { key: secret, alg: 'hmac-sha256' as const, principalId: 'orders-service' } }

async function statusOf(event: unknown, extra: Partial<Parameters<typeof verifySignature>[0]> = {}) {
  const handler = middy(async (_event: unknown, context: { principal?: { id: string } }) => ({
    statusCode: 200,
    body: context.principal?.id ?? '',
  }))
    .use({
      onError: (request) => {
        const status = (request.error as { statusCode?: number }).statusCode ?? 500
        request.response = { statusCode: status, body: '' }
      },
    })
    .use(verifySignature({ keys, now, ...extra }))
  const response = (await handler(event as never, {} as never)) as { statusCode: number; body: string }
  return response
}

describe('signedTestEvent', () => {
  it('builds an HTTP API v2 event that verifySignature accepts, with the key entry as principal', async () => {
    const event = signedTestEvent({ url: 'https://api.example.com/orders/7?view=full' }, sign)
    expect(event.version).toBe('2.0')
    expect(event.requestContext.http.method).toBe('GET')
    expect(event.rawPath).toBe('/orders/7')
    expect(event.rawQueryString).toBe('view=full')
    expect(event.headers.host).toBe('api.example.com')
    expect(event.headers['signature-input']).toMatch(
      /^sig1=\("@method" "@target-uri"\);created=1750000000;keyid="svc"$/,
    )
    expect(event.headers.signature).toMatch(/^sig1=:[A-Za-z0-9+/]+=*:$/)
    expect(await statusOf(event)).toEqual({ statusCode: 200, body: 'orders-service' })
  })

  it('on the execute-api domain with a named stage, the signed URL path keeps the stage, as rawPath does', async () => {
    const url = 'https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/orders/7'
    const event = signedTestEvent({ url, stage: 'prod' }, sign)
    expect(event.rawPath).toBe('/prod/orders/7')
    expect(event.requestContext.stage).toBe('prod')
    expect(await statusOf(event)).toEqual({ statusCode: 200, body: 'orders-service' })
    expect(signedTestEvent({ url: url.replace('/orders/7', ''), stage: 'prod' }, sign).rawPath).toBe('/prod/')
    expect(() => signedTestEvent({ url, stage: 'dev' }, sign)).toThrow(
      'signedTestEvent: on the execute-api domain the stage "dev" is the URL\'s first path segment (got /prod/orders/7)',
    )
    // A custom domain's API mapping selects the stage without a path segment.
    const custom = signedTestEvent({ url: 'https://api.example.com/orders/7', stage: 'prod' }, sign)
    expect(custom.rawPath).toBe('/orders/7')
    expect((await statusOf(custom)).statusCode).toBe(200)
  })

  it('signs a body with Content-Digest, defaults to POST and application/json, and a changed body fails', async () => {
    const event = signedTestEvent({ body: '{"amount":10}' }, sign)
    expect(event.requestContext.http.method).toBe('POST')
    expect(event.headers['content-type']).toBe('application/json')
    expect(event.headers['content-digest']).toMatch(/^sha-256=:/)
    expect(event.body).toBe('{"amount":10}')
    expect((await statusOf(event)).statusCode).toBe(200)
    expect((await statusOf({ ...event, body: '{"amount":99}' })).statusCode).toBe(401)
  })

  it('keeps a given content-type and method, lower-cases header names, and signs covered headers', async () => {
    const event = signedTestEvent(
      {
        method: 'put',
        url: 'http://localhost:3000/items',
        headers: { 'Content-Type': 'text/plain', 'X-Tenant': 't-1' },
        body: 'hello',
      },
      { ...sign, components: ['@method', '@target-uri', 'content-digest', 'x-tenant'] },
    )
    expect(event.requestContext.http.method).toBe('PUT')
    expect(event.headers['content-type']).toBe('text/plain')
    expect(event.headers['x-forwarded-proto']).toBe('http')
    expect(event.headers.host).toBe('localhost:3000')
    expect((await statusOf(event)).statusCode).toBe(200)
    const tampered = { ...event, headers: { ...event.headers, 'x-tenant': 't-2' } }
    expect((await statusOf(tampered)).statusCode).toBe(401)
  })

  it('keeps repeated query parameters in order, so @query-param and @target-uri verify', async () => {
    const event = signedTestEvent(
      { url: 'https://api.example.com/search?tag=a&tag=b&view=full&__proto__=x' },
      { ...sign, components: ['@method', '@target-uri', '@query', '"@query-param";name="view"'] },
    )
    expect(event.rawQueryString).toBe('tag=a&tag=b&view=full&__proto__=x')
    expect((await statusOf(event)).statusCode).toBe(200)
    const reordered = { ...event, rawQueryString: 'tag=b&tag=a&view=full&__proto__=x' }
    expect((await statusOf(reordered)).statusCode).toBe(401)
  })

  it('passes nonce and other signer options through, so a replay store sees the nonce', async () => {
    const event = signedTestEvent({}, { ...sign, nonce: 'n-1' })
    expect(event.headers['signature-input']).toContain('nonce="n-1"')
    expect(event.headers.host).toBe('api.example.com')
    expect(event.rawPath).toBe('/orders')
    const options = { nonce: { store: memoryNonceStore(), required: true } }
    expect((await statusOf(event, options)).statusCode).toBe(200)
    expect((await statusOf(event, options)).statusCode).toBe(401)
  })

  it('puts the requestContext fields it is given into the event', () => {
    const event = signedTestEvent(
      {
        requestId: 'req-1',
        routeKey: 'GET /orders/{id}',
        pathParameters: { id: '7' },
        sourceIp: '198.51.100.7',
        timeEpoch: NOW_MS,
      },
      sign,
    )
    expect(event.requestContext.requestId).toBe('req-1')
    expect(event.routeKey).toBe('GET /orders/{id}')
    expect(event.pathParameters).toEqual({ id: '7' })
    expect(event.requestContext.http.sourceIp).toBe('198.51.100.7')
    expect(event.requestContext.timeEpoch).toBe(NOW_MS)
  })

  it('works with any signer of that shape and adds only the string header values it returns', () => {
    const calls: SignableTestRequest[] = []
    const event = signedTestEvent(
      { url: 'https://api.example.com/x', body: 'b' },
      {
        sign: (request: SignableTestRequest, options: { token: string }) => {
          calls.push(request)
          return { 'X-Token': options.token, 'X-Absent': undefined }
        },
        token: 'abc',
      },
    )
    expect(calls).toHaveLength(1)
    expect(calls[0]).toMatchObject({ method: 'POST', body: 'b', headers: { host: 'api.example.com' } })
    expect(calls[0]?.url.href).toBe('https://api.example.com/x')
    expect(event.headers['x-token']).toBe('abc')
    expect(event.headers).not.toHaveProperty('x-absent')
  })

  it('refuses options without a signer, with a message that names signRequest', () => {
    expect(() => signedTestEvent({}, { keyId: 'svc' } as never)).toThrow(/options\.sign .*signRequest/)
  })
})
