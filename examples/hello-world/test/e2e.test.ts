import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { serveLocal } from '@lift/testing'
import { createHandler } from '../src/handler'

// Every route through a real HTTP server on 127.0.0.1 (serveLocal: HTTP → API Gateway v2 event → handler).
let server: Awaited<ReturnType<typeof serveLocal>>
const logLines: string[] = []

beforeAll(async () => {
  server = await serveLocal(createHandler({ logLine: (line) => logLines.push(line) }), { port: 0 })
})

afterAll(async () => {
  await server.close()
})

const request = (path: string, init: RequestInit = {}) =>
  fetch(new URL(path, server.url), { ...init, signal: AbortSignal.timeout(5_000) })

async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  const problem = (await response.json()) as Record<string, unknown>
  expect(problem).toMatchObject({ type: 'about:blank', status, code })
  expect(JSON.stringify(problem)).not.toMatch(/\bat\s.*\.(ts|js):\d+/)
  return problem
}

describe('hello-world over HTTP', () => {
  it('serves on 127.0.0.1', () => {
    expect(new URL(server.url).hostname).toBe('127.0.0.1')
  })

  it('GET /hello?name=Ada → 200 greeting', async () => {
    const response = await request('/hello?name=Ada')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/json')
    expect(await response.json()).toEqual({ message: 'Hello, Ada!' })
  })

  it('GET /hello with a percent-encoded name decodes it', async () => {
    const response = await request('/hello?name=Jos%C3%A9%20Ruiz')
    expect(await response.json()).toEqual({ message: 'Hello, José Ruiz!' })
  })

  it('GET /hello?name=<script> → 400 invalid-name', async () => {
    const problem = await expectProblem(await request('/hello?name=%3Cscript%3E'), 400, 'invalid-name')
    expect(JSON.stringify(problem)).not.toContain('<script>')
  })

  it('POST /echo with JSON → 201 echo', async () => {
    const response = await request('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'hello over http' }),
    })
    expect(response.status).toBe(201)
    expect(await response.json()).toEqual({ message: 'hello over http' })
  })

  it('POST /echo with malformed JSON → 400 invalid-json', async () => {
    const response = await request('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"message":',
    })
    await expectProblem(response, 400, 'invalid-json')
  })

  it('POST /echo with text/plain → 415 unsupported-media-type', async () => {
    const response = await request('/echo', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    })
    await expectProblem(response, 415, 'unsupported-media-type')
  })

  it('POST /echo with a message over 280 characters → 400 invalid-message', async () => {
    const response = await request('/echo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'x'.repeat(281) }),
    })
    await expectProblem(response, 400, 'invalid-message')
  })

  it('GET /whoami → the request as the handler saw it', async () => {
    const response = await request('/whoami', { headers: { 'user-agent': 'e2e-test/1.0' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as Record<string, unknown>
    expect(body).toMatchObject({
      source: 'apigw-http',
      method: 'GET',
      path: '/whoami',
      sourceIp: '127.0.0.1',
      userAgent: 'e2e-test/1.0',
    })
  })

  it('GET /nope → 404 not-found', async () => {
    await expectProblem(await request('/nope'), 404, 'not-found')
  })

  it('PUT /echo → 405 with Allow: POST', async () => {
    const response = await request('/echo', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    await expectProblem(response, 405, 'method-not-allowed')
    expect(response.headers.get('allow')).toBe('POST')
  })

  it('logged one summary line per failed request and nothing from a request body', () => {
    expect(logLines).toHaveLength(6)
    for (const line of logLines) {
      expect(Object.keys(JSON.parse(line)).sort()).toEqual(['code', 'error', 'level', 'message', 'status'])
      expect(line).not.toContain('<script>')
    }
  })
})
