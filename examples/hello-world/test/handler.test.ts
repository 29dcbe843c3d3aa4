import { describe, expect, it } from '@jest/globals'
import type { HttpEventInit } from '@lift/testing'
import { lambdaContext } from '@lift/testing'
import { createHandler } from '../src/handler'
import { buildEvent, type EventSource, SOURCES, V2_SOURCE } from './sources'

interface Result {
  statusCode: number
  headers?: Record<string, string>
  body?: string
}

function setup() {
  const logLines: string[] = []
  const handler = createHandler({ logLine: (line) => logLines.push(line) })
  const call = async (source: EventSource, request: HttpEventInit) =>
    (await handler(buildEvent(source, request), lambdaContext())) as Result
  return { call, logLines }
}

const json = (result: Result) => JSON.parse(result.body ?? '') as Record<string, unknown>
const contentType = (result: Result) =>
  Object.entries(result.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1]

function expectProblem(result: Result, status: number, code: string) {
  expect(result.statusCode).toBe(status)
  expect(contentType(result)).toBe('application/problem+json')
  expect(json(result)).toMatchObject({ status, code, type: 'about:blank', title: expect.any(String) })
}

const jsonHeaders = { 'content-type': 'application/json' }

describe.each(SOURCES)('hello-world handler, $name events', (source) => {
  it('GET /hello greets the name from the query string', async () => {
    const { call } = setup()
    const result = await call(source, { method: 'GET', path: '/hello', query: { name: 'Ada' } })
    expect(result.statusCode).toBe(200)
    expect(contentType(result)).toBe('application/json')
    expect(json(result)).toEqual({ message: 'Hello, Ada!' })
  })

  it('GET /hello without a name greets the world', async () => {
    const { call } = setup()
    expect(json(await call(source, { method: 'GET', path: '/hello' }))).toEqual({ message: 'Hello, world!' })
  })

  it('GET /hello accepts letters beyond ASCII, digits, spaces, - and _ (64 characters at most)', async () => {
    const { call } = setup()
    for (const name of ['José Ñúñez', 'ada_lovelace-1815', 'Ω'.repeat(64)]) {
      const result = await call(source, { method: 'GET', path: '/hello', query: { name } })
      expect(json(result)).toEqual({ message: `Hello, ${name}!` })
    }
  })

  it.each([
    ['markup', '<script>alert(1)</script>'],
    ['an empty name', ''],
    ['65 characters', 'a'.repeat(65)],
    ['a quote', "O'Brien"],
    ['a newline (log/header injection)', 'Ada\r\nSet-Cookie: x=1'],
    ['a bidi override', 'Ada\u202Eevil'],
  ])('GET /hello rejects %s with 400 invalid-name problem+json', async (_label, name) => {
    const { call } = setup()
    expectProblem(await call(source, { method: 'GET', path: '/hello', query: { name } }), 400, 'invalid-name')
  })

  it('GET /hello rejects a repeated name parameter (where the source passes every value on)', async () => {
    const { call } = setup()
    const result = await call(source, { method: 'GET', path: '/hello', query: { name: ['Ada', 'Bob'] } })
    if (source.keepsRepeatedValues) expectProblem(result, 400, 'invalid-name')
    else expect(json(result)).toEqual({ message: 'Hello, Bob!' })
  })

  it('POST /echo answers 201 with the message', async () => {
    const { call } = setup()
    const result = await call(source, {
      method: 'POST',
      path: '/echo',
      headers: jsonHeaders,
      body: JSON.stringify({ message: 'hi there' }),
    })
    expect(result.statusCode).toBe(201)
    expect(contentType(result)).toBe('application/json')
    expect(json(result)).toEqual({ message: 'hi there' })
  })

  it('POST /echo reads a base64-encoded body and a JSON content type with parameters', async () => {
    const { call } = setup()
    const result = await call(source, {
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: Buffer.from(JSON.stringify({ message: 'encoded' })).toString('base64'),
      isBase64Encoded: true,
    })
    expect(result.statusCode).toBe(201)
    expect(json(result)).toEqual({ message: 'encoded' })
  })

  it('POST /echo accepts 280 characters, counted as characters, not UTF-16 units', async () => {
    const { call } = setup()
    for (const message of ['x'.repeat(280), '😀'.repeat(280)]) {
      const result = await call(source, {
        method: 'POST',
        path: '/echo',
        headers: jsonHeaders,
        body: JSON.stringify({ message }),
      })
      expect(result.statusCode).toBe(201)
    }
  })

  it.each([
    ['a message of 281 characters', { message: 'x'.repeat(281) }],
    ['an empty message', { message: '' }],
    ['a message that is not a string', { message: 42 }],
    ['no message', { text: 'hi' }],
    ['an array', [{ message: 'hi' }]],
    ['null', null],
  ])('POST /echo rejects %s with 400 invalid-message', async (_label, body) => {
    const { call } = setup()
    const result = await call(source, {
      method: 'POST',
      path: '/echo',
      headers: jsonHeaders,
      body: JSON.stringify(body),
    })
    expectProblem(result, 400, 'invalid-message')
  })

  it('POST /echo rejects malformed JSON with 400 invalid-json problem+json', async () => {
    const { call } = setup()
    const result = await call(source, {
      method: 'POST',
      path: '/echo',
      headers: jsonHeaders,
      body: '{"message":',
    })
    expectProblem(result, 400, 'invalid-json')
  })

  it('POST /echo rejects a missing or empty body with 400 invalid-json (not as the JSON null)', async () => {
    const { call } = setup()
    expectProblem(
      await call(source, { method: 'POST', path: '/echo', headers: jsonHeaders }),
      400,
      'invalid-json',
    )
    const empty = { method: 'POST', path: '/echo', headers: jsonHeaders, body: '' }
    expectProblem(await call(source, empty), 400, 'invalid-json')
  })

  it('POST /echo rejects a body marked base64 that is not, with 400 problem+json', async () => {
    const { call } = setup()
    const result = await call(source, {
      method: 'POST',
      path: '/echo',
      headers: jsonHeaders,
      body: '{"message":"not base64"}',
      isBase64Encoded: true,
    })
    expect(result.statusCode).toBe(400)
    expect(contentType(result)).toBe('application/problem+json')
  })

  it('POST /echo rejects a __proto__ key (prototype pollution) with 400 invalid-json', async () => {
    const { call } = setup()
    const body = '{"message":"hi","__proto__":{"polluted":true}}'
    const result = await call(source, { method: 'POST', path: '/echo', headers: jsonHeaders, body })
    expectProblem(result, 400, 'invalid-json')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('POST /echo rejects a non-JSON content type (or none) with 415 problem+json', async () => {
    const { call } = setup()
    const textPlain = { method: 'POST', path: '/echo', headers: { 'content-type': 'text/plain' }, body: 'hi' }
    expectProblem(await call(source, textPlain), 415, 'unsupported-media-type')
    expectProblem(
      await call(source, { method: 'POST', path: '/echo', body: '{}' }),
      415,
      'unsupported-media-type',
    )
    const upperCase = {
      method: 'POST',
      path: '/echo',
      headers: { 'CONTENT-TYPE': 'Application/JSON' },
      body: '{"message":"a"}',
    }
    expect((await call(source, upperCase)).statusCode).toBe(201)
    const problemJson = {
      method: 'POST',
      path: '/echo',
      headers: { 'content-type': 'application/problem+json' },
      body: '{"message":"a"}',
    }
    expect((await call(source, problemJson)).statusCode).toBe(201)
  })

  it('GET /whoami returns what the view reads from the event', async () => {
    const { call } = setup()
    const result = await call(source, {
      method: 'GET',
      path: '/whoami',
      headers: { 'User-Agent': 'hello-test/1.0' },
    })
    expect(result.statusCode).toBe(200)
    expect(result.headers?.['Cache-Control']).toBe('no-store')
    const body = json(result)
    expect(body).toMatchObject({
      source: source.source,
      method: 'GET',
      path: '/whoami',
      userAgent: 'hello-test/1.0',
    })
    expect(body.sourceIp).toBe('203.0.113.7')
    expect(typeof body.requestId === 'string' || body.requestId === null).toBe(true)
  })

  it('GET /whoami reports a missing User-Agent as null', async () => {
    const { call } = setup()
    expect(json(await call(source, { method: 'GET', path: '/whoami' }))).toMatchObject({ userAgent: null })
  })

  it('answers an unknown path with 404 not-found problem+json', async () => {
    const { call } = setup()
    expectProblem(await call(source, { method: 'GET', path: '/nope' }), 404, 'not-found')
    expectProblem(await call(source, { method: 'GET', path: '/hello/' }), 404, 'not-found')
  })

  it('answers another method on a known path with 405 and an Allow header', async () => {
    const { call } = setup()
    const onHello = await call(source, { method: 'DELETE', path: '/hello' })
    expectProblem(onHello, 405, 'method-not-allowed')
    expect(onHello.headers?.Allow).toBe('GET')
    // Routing comes before the body parser: a GET /echo gets its 405, not a 415 for the missing JSON.
    const onEcho = await call(source, { method: 'GET', path: '/echo' })
    expectProblem(onEcho, 405, 'method-not-allowed')
    expect(onEcho.headers?.Allow).toBe('POST')
  })

  it('logs one JSON line per failed request: name, status and code, no message or stack', async () => {
    const { call, logLines } = setup()
    await call(source, { method: 'GET', path: '/hello', query: { name: '<secret-input>' } })
    expect(logLines).toHaveLength(1)
    expect(JSON.parse(logLines[0]!)).toEqual({
      level: 'warn',
      message: 'request failed',
      error: expect.any(String),
      status: 400,
      code: 'invalid-name',
    })
    expect(logLines[0]).not.toContain('secret-input')
    expect(logLines[0]).not.toMatch(/\bat\s/)
  })
})

describe('hello-world handler, events that are not HTTP', () => {
  it('answers an event no HTTP source produces with a 400 problem, not a crash', async () => {
    const logLines: string[] = []
    const handler = createHandler({ logLine: (line) => logLines.push(line) })
    const result = (await handler({ Records: [] } as never, lambdaContext())) as Result
    expectProblem(result, 400, 'unsupported-event')
    expect(logLines).toHaveLength(1)
  })

  it('logs to console.error by default', async () => {
    const { handler } = await import('../src/handler')
    const original = console.error
    const lines: unknown[] = []
    console.error = (line: unknown) => lines.push(line)
    try {
      await handler(buildEvent(V2_SOURCE, { method: 'GET', path: '/nope' }), lambdaContext())
    } finally {
      console.error = original
    }
    expect(lines).toHaveLength(1)
    expect(JSON.parse(String(lines[0]))).toMatchObject({ status: 404, code: 'not-found' })
  })
})
