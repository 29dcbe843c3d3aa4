import { describe, expect, it } from '@jest/globals'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { createError } from '@middy/util'
import { isLiftHttpError, LiftHttpError, PROBLEM_CONTENT_TYPE, problemResponse } from '../src/errors'

const lambdaContext = {
  functionName: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as import('aws-lambda').Context

interface HttpResponse {
  statusCode: number
  headers: Record<string, string>
  body?: string
}

/** Runs a handler that throws through real Middy with the real http-error-handler. */
function invokeThrowing(thrown: unknown): Promise<HttpResponse> {
  const handler = middy(async (): Promise<HttpResponse> => {
    throw thrown
  }).use(httpErrorHandler({ logger: false }))
  return handler({}, lambdaContext)
}

describe('LiftHttpError', () => {
  it('builds an RFC 9457 problem with defaults for type and title', () => {
    const error = new LiftHttpError(404, { code: 'not-found', detail: 'No such order.' })
    expect(error.problem).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'not-found',
      detail: 'No such order.',
    })
    expect(error.statusCode).toBe(404)
    expect(error.status).toBe(404)
    expect(error.code).toBe('not-found')
    expect(error.detail).toBe('No such order.')
    expect(error.name).toBe('LiftHttpError')
    expect(error).toBeInstanceOf(Error)
  })

  it('omits detail when none is given', () => {
    const error = new LiftHttpError(401, { code: 'unauthenticated' })
    expect(error.problem).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      code: 'unauthenticated',
    })
    expect('detail' in error.problem).toBe(false)
    expect(error.detail).toBeUndefined()
  })

  it('uses the given type and title', () => {
    const error = new LiftHttpError(429, {
      code: 'rate-limited',
      type: 'https://iana.org/assignments/http-problem-types#quota-exceeded',
      title: 'Quota exceeded',
    })
    expect(error.problem.type).toBe('https://iana.org/assignments/http-problem-types#quota-exceeded')
    expect(error.problem.title).toBe('Quota exceeded')
  })

  it('falls back to a generic title for a status without a standard text', () => {
    expect(new LiftHttpError(499, { code: 'x' }).problem.title).toBe('Client Error')
    expect(new LiftHttpError(599, { code: 'x' }).problem.title).toBe('Server Error')
  })

  it('serializes the problem as the message, as @middy/http-error-handler renders the message as the body', () => {
    const error = new LiftHttpError(400, { code: 'bad', detail: 'Bad thing.' })
    expect(JSON.parse(error.message)).toEqual(error.problem)
  })

  it('always sends Content-Type application/problem+json next to extra headers', () => {
    const error = new LiftHttpError(429, { code: 'rate-limited', headers: { 'Retry-After': '17' } })
    expect(error.headers).toEqual({ 'Retry-After': '17', 'Content-Type': 'application/problem+json' })
    expect(PROBLEM_CONTENT_TYPE).toBe('application/problem+json')
  })

  it('does not let an extra header replace the problem+json Content-Type, whatever its case', () => {
    const error = new LiftHttpError(400, {
      code: 'bad',
      headers: { 'content-type': 'text/html', 'CONTENT-TYPE': 'text/html', 'X-Other': 'kept' },
    })
    expect(error.headers).toEqual({ 'X-Other': 'kept', 'Content-Type': 'application/problem+json' })
  })

  it('adds extension members but never lets them replace the standard members', () => {
    const error = new LiftHttpError(403, {
      code: 'forbidden',
      detail: 'Missing role.',
      extensions: { requiredRoles: ['admin'], status: 200, code: 'ok', type: 'x', title: 'y', detail: 'z' },
    })
    expect(error.problem).toEqual({
      type: 'about:blank',
      title: 'Forbidden',
      status: 403,
      code: 'forbidden',
      detail: 'Missing role.',
      requiredRoles: ['admin'],
    })
  })

  it('drops a detail given only as an extension', () => {
    const error = new LiftHttpError(400, { code: 'bad', extensions: { detail: 'sneaky' } })
    expect('detail' in error.problem).toBe(false)
  })

  it('keeps the cause on the error for logs but never in the problem', () => {
    const cause = new Error('db password is hunter2')
    const error = new LiftHttpError(503, { code: 'unavailable', cause })
    expect(error.cause).toBe(cause)
    expect(error.message).not.toContain('hunter2')
    expect(JSON.stringify(error.problem)).not.toContain('hunter2')
    expect('cause' in new LiftHttpError(400, { code: 'bad' })).toBe(false)
  })

  it('is always exposed: its problem is public by construction, 5xx included', () => {
    for (const status of [400, 499, 500, 503])
      expect(new LiftHttpError(status, { code: 'a' }).expose).toBe(true)
  })

  it.each([200, 302, 399, 600, 404.5, Number.NaN])(
    'rejects the non-error status %p with a clear message',
    (status) => {
      expect(() => new LiftHttpError(status, { code: 'x' })).toThrow(
        /LiftHttpError: statusCode must be an integer from 400 to 599/,
      )
    },
  )

  it('rejects a missing or empty code', () => {
    expect(() => new LiftHttpError(400, { code: '' })).toThrow(
      'LiftHttpError: options.code must be a non-empty string',
    )
    expect(() => new LiftHttpError(400, undefined as unknown as { code: string })).toThrow(/options\.code/)
  })

  it('rejects a header value that is not a string', () => {
    expect(
      () => new LiftHttpError(429, { code: 'x', headers: { 'Retry-After': 17 as unknown as string } }),
    ).toThrow('LiftHttpError: header "Retry-After" must be a string')
  })
})

describe('isLiftHttpError', () => {
  it('recognises Lift errors and nothing else', () => {
    expect(isLiftHttpError(new LiftHttpError(400, { code: 'x' }))).toBe(true)
    expect(isLiftHttpError(new Error('x'))).toBe(false)
    expect(isLiftHttpError(createError(400, 'x'))).toBe(false)
    expect(isLiftHttpError({ statusCode: 400, code: 'x' })).toBe(false)
    expect(isLiftHttpError(null)).toBe(false)
    expect(isLiftHttpError('error')).toBe(false)
  })

  it('recognises an error created by another copy of the package (ESM next to CJS) through its brand', () => {
    const foreign = Object.assign(new Error('{}'), { statusCode: 409 })
    Object.defineProperty(foreign, Symbol.for('@lift/security-core.LiftHttpError'), { value: true })
    expect(foreign instanceof LiftHttpError).toBe(false)
    expect(isLiftHttpError(foreign)).toBe(true)
  })
})

describe('problemResponse', () => {
  it('renders a LiftHttpError as its problem with its headers', () => {
    const error = new LiftHttpError(401, {
      code: 'unauthenticated',
      detail: 'A bearer token is required.',
      headers: { 'WWW-Authenticate': 'Bearer' },
    })
    const response = problemResponse(error)
    expect(response).toEqual({
      statusCode: 401,
      headers: { 'WWW-Authenticate': 'Bearer', 'Content-Type': 'application/problem+json' },
      body: JSON.stringify(error.problem),
    })
    expect(JSON.parse(response.body)).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      code: 'unauthenticated',
      detail: 'A bearer token is required.',
    })
  })

  it('adds the instance member when asked', () => {
    const response = problemResponse(new LiftHttpError(404, { code: 'not-found' }), {
      instance: '/orders/42',
    })
    expect(JSON.parse(response.body)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'not-found',
      instance: '/orders/42',
    })
  })

  it('returns copies, so changing the response cannot change the error', () => {
    const error = new LiftHttpError(429, { code: 'rate-limited', headers: { 'Retry-After': '5' } })
    const response = problemResponse(error)
    response.headers['Retry-After'] = '0'
    expect(error.headers['Retry-After']).toBe('5')
  })

  it('renders a server-side LiftHttpError with its own public detail', () => {
    const error = new LiftHttpError(503, {
      code: 'dependency-unavailable',
      detail: 'Try again later.',
      headers: { 'Retry-After': '30' },
      cause: new Error('connection refused to 10.0.0.7'),
    })
    const response = problemResponse(error)
    expect(response.statusCode).toBe(503)
    expect(response.headers).toEqual({ 'Retry-After': '30', 'Content-Type': 'application/problem+json' })
    expect(response.body).not.toContain('10.0.0.7')
  })

  it('renders an exposed Middy HttpError from its status and message', () => {
    const error = createError(415, 'Unsupported Media Type: text/xml')
    expect(problemResponse(error)).toEqual({
      statusCode: 415,
      headers: { 'Content-Type': 'application/problem+json' },
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Unsupported Media Type',
        status: 415,
        code: 'unsupported-media-type',
        detail: 'Unsupported Media Type: text/xml',
      }),
    })
  })

  it('keeps string headers of an exposed HttpError and never its Content-Type', () => {
    const error = Object.assign(createError(429, 'Slow down'), {
      headers: { 'Retry-After': '3', 'Content-Type': 'text/plain', 'X-Number': 5 },
    })
    expect(problemResponse(error).headers).toEqual({
      'Retry-After': '3',
      'Content-Type': 'application/problem+json',
    })
  })

  it('omits detail for an exposed HttpError with an empty message and derives a code from the status', () => {
    const error = Object.assign(new Error(''), { statusCode: 418, expose: true })
    expect(JSON.parse(problemResponse(error).body)).toEqual({
      type: 'about:blank',
      title: "I'm a Teapot",
      status: 418,
      code: 'i-m-a-teapot',
    })
  })

  it('treats an HttpError that is not exposed (5xx from createError) as internal', () => {
    const error = createError(500, 'stack overflow in payments module')
    const response = problemResponse(error)
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('payments')
    expect(JSON.parse(response.body).code).toBe('internal-error')
  })

  it('treats an object claiming expose with a non-error status as internal', () => {
    const response = problemResponse({ statusCode: 200, expose: true, message: 'fine' })
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('fine')
  })

  it('never leaks the message, stack or cause of a non-Lift error (attack: information disclosure)', () => {
    const cause = new Error('cause: AKIAIOSFODNN7EXAMPLE')
    const error = new Error('connect ECONNREFUSED postgres://admin:s3cr3t@db.internal:5432', { cause })
    const response = problemResponse(error)
    expect(response).toEqual({
      statusCode: 500,
      headers: { 'Content-Type': 'application/problem+json' },
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        code: 'internal-error',
        detail: 'The server could not complete the request.',
      }),
    })
    for (const leak of ['ECONNREFUSED', 's3cr3t', 'db.internal', 'AKIA', 'cause', 'stack']) {
      expect(response.body).not.toContain(leak)
    }
    for (const frame of (error.stack ?? '').split('\n').slice(1)) {
      expect(response.body).not.toContain(frame.trim())
    }
  })

  it.each([
    ['a string', 'secret-token-value'],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['a plain object', { message: 'secret-token-value', statusCode: 401 }],
  ])('renders %s as a generic 500', (_label, thrown) => {
    const response = problemResponse(thrown)
    expect(response.statusCode).toBe(500)
    expect(response.body).not.toContain('secret-token-value')
    expect(JSON.parse(response.body).code).toBe('internal-error')
  })
})

describe('with real @middy/core and @middy/http-error-handler', () => {
  it('renders a thrown LiftHttpError as exactly its problem+json response', async () => {
    const error = new LiftHttpError(401, {
      code: 'unauthenticated',
      detail: 'A bearer token is required.',
      headers: { 'WWW-Authenticate': 'Bearer' },
    })
    const response = await invokeThrowing(error)

    expect(response).toEqual({
      statusCode: 401,
      headers: { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': 'Bearer' },
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        code: 'unauthenticated',
        detail: 'A bearer token is required.',
      }),
    })
    expect(response).toEqual(problemResponse(error))
  })

  it('renders a 429 with Retry-After through the error handler', async () => {
    const response = await invokeThrowing(
      new LiftHttpError(429, { code: 'rate-limited', headers: { 'Retry-After': '17' } }),
    )

    expect(response.statusCode).toBe(429)
    expect(response.headers).toEqual({ 'Content-Type': 'application/problem+json', 'Retry-After': '17' })
    expect(JSON.parse(response.body ?? '')).toEqual({
      type: 'about:blank',
      title: 'Too Many Requests',
      status: 429,
      code: 'rate-limited',
    })
  })

  it('replaces a generic Error with a 500 that carries neither its message nor its stack', async () => {
    const response = await invokeThrowing(new Error('password=hunter2 at db.connect'))

    expect(response).toEqual({ statusCode: 500, headers: {} })
    expect(JSON.stringify(response)).not.toContain('hunter2')
  })

  it('keeps the status and headers of a server-side LiftHttpError (503 + Retry-After)', async () => {
    const response = await invokeThrowing(
      new LiftHttpError(503, {
        code: 'unavailable',
        detail: 'Try again later.',
        headers: { 'Retry-After': '5' },
      }),
    )

    expect(response).toEqual({
      statusCode: 503,
      headers: { 'Content-Type': 'application/problem+json', 'Retry-After': '5' },
      body: expect.any(String),
    })
    expect(JSON.parse((response as { body: string }).body)).toMatchObject({
      status: 503,
      code: 'unavailable',
    })
  })
})
