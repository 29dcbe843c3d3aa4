import { describe, expect, it } from '@jest/globals'
import { LiftHttpError } from '@lift/security-core'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import httpJsonBodyParser from '@middy/http-json-body-parser'
import { errorSummaryLogger } from '../src/error-log'
import { ProblemError, problemDetails } from '../src/problem-details'

interface Result {
  statusCode: number
  headers: Record<string, string>
  body: string
}

function failingHandler(thrown: () => unknown) {
  const logLines: string[] = []
  const handler = middy()
    .use(httpErrorHandler({ logger: errorSummaryLogger((line) => logLines.push(line)) }))
    .use(problemDetails())
    .handler(() => {
      throw thrown()
    })
  return { invoke: async () => (await handler({}, lambdaContext())) as Result, logLines }
}

describe('problemDetails() with @middy/http-error-handler', () => {
  it('renders an unexpected error as a generic 500 problem: no message, no stack, in body or log', async () => {
    const { invoke, logLines } = failingHandler(() => new Error('connect to db as admin:hunter2 failed'))
    const result = await invoke()
    expect(result.statusCode).toBe(500)
    expect(result.headers['Content-Type']).toBe('application/problem+json')
    expect(JSON.parse(result.body)).toMatchObject({ status: 500, code: 'internal-error' })
    expect(result.body).not.toContain('hunter2')
    expect(logLines).toHaveLength(1)
    expect(JSON.parse(logLines[0]!)).toEqual({
      level: 'error',
      message: 'request failed',
      error: 'Error',
      status: 500,
      code: 'internal-error',
    })
    expect(logLines[0]).not.toContain('hunter2')
  })

  it('renders a thrown non-Error value as a 500 problem', async () => {
    const { invoke, logLines } = failingHandler(() => 'a string with a secret')
    const result = await invoke()
    expect(result.statusCode).toBe(500)
    expect(result.body).not.toContain('secret')
    expect(JSON.parse(logLines[0]!)).toMatchObject({ error: 'NonErrorThrown', status: 500 })
  })

  it('keeps a LiftHttpError: its status, code, public detail and extra headers', async () => {
    const { invoke } = failingHandler(
      () =>
        new LiftHttpError(429, { code: 'slow-down', detail: 'Try later.', headers: { 'Retry-After': '7' } }),
    )
    const result = await invoke()
    expect(result.statusCode).toBe(429)
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/problem+json', 'Retry-After': '7' })
    expect(JSON.parse(result.body)).toMatchObject({ status: 429, code: 'slow-down', detail: 'Try later.' })
  })

  it('leaves an error that only looks like a body-parser error (no parser cause) to problemResponse', () => {
    const lookalike = Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, expose: true })
    const problem = new ProblemError(lookalike)
    expect(problem.statusCode).toBe(415)
    expect(JSON.parse(problem.message).detail).not.toMatch(/^Send the body as JSON/)
    expect(problem.expose).toBe(true)
    expect(problem.cause).toBe(lookalike)
  })
})

describe('problemDetails() with @middy/http-json-body-parser (its own content-type check on)', () => {
  const handler = middy()
    .use(httpErrorHandler({ logger: false }))
    .use(problemDetails())
    .use(httpJsonBodyParser())
    .handler(() => ({ statusCode: 204 }))
  const post = async (headers: Record<string, string>, body: string) =>
    (await handler(
      apiGatewayV2Event({ method: 'POST', path: '/', headers, body }),
      lambdaContext(),
    )) as Result

  it("maps the parser's 415 to an unsupported-media-type problem", async () => {
    const result = await post({ 'content-type': 'text/plain' }, 'hi')
    expect(result.statusCode).toBe(415)
    expect(result.headers['Content-Type']).toBe('application/problem+json')
    expect(JSON.parse(result.body)).toMatchObject({ status: 415, code: 'unsupported-media-type' })
  })

  it("maps the parser's 422 for malformed JSON and for a forbidden key to a 400 invalid-json problem", async () => {
    for (const body of ['{"a":', '{"__proto__":{"x":1}}']) {
      const result = await post({ 'content-type': 'application/json' }, body)
      expect(result.statusCode).toBe(400)
      expect(JSON.parse(result.body)).toMatchObject({ status: 400, code: 'invalid-json' })
    }
  })
})

describe('errorSummaryLogger()', () => {
  it('logs something that is not an error object as an unknown 500', () => {
    const lines: string[] = []
    errorSummaryLogger((line) => lines.push(line))(undefined)
    errorSummaryLogger((line) => lines.push(line))({ name: 7, statusCode: '400', code: 3 })
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { level: 'error', message: 'request failed', error: 'Unknown', status: 500 },
      { level: 'error', message: 'request failed', error: 'Unknown', status: 500 },
    ])
  })
})
