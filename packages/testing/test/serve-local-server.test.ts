import { Agent, createServer, request } from 'node:http'
import { type AddressInfo, connect } from 'node:net'
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { type LocalHandler, type LocalServer, type ServeLocalOptions, serveLocal } from '../src/index'
import { rawRequest } from './support/raw-http'

const servers: LocalServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function start(handler: LocalHandler, options: ServeLocalOptions = {}) {
  const lines: string[] = []
  const errors: unknown[] = []
  const log = (line: string, error: unknown) => {
    lines.push(line)
    errors.push(error)
  }
  const server = await serveLocal(handler, { log, ...options })
  servers.push(server)
  return { server, lines, errors }
}

const timeout = () => AbortSignal.timeout(5_000)

describe('serveLocal: failures', () => {
  it('answers a throwing handler with 502 like API Gateway and logs it once, without message or stack', async () => {
    const thrown = new TypeError('database password=hunter2 rejected')
    const { server, lines, errors } = await start(() => {
      throw thrown
    })
    const response = await fetch(`${server.url}/boom`, { signal: timeout() })
    expect(response.status).toBe(502)
    expect(response.headers.get('content-type')).toBe('application/json')
    const body = await response.text()
    expect(body).toBe('{"message":"Internal Server Error"}')
    expect(body).not.toContain('hunter2')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toBe(
      `serveLocal: GET /boom → 502 (requestId ${response.headers.get('apigw-requestid')}): TypeError`,
    )
    expect(lines[0]).not.toContain('hunter2')
    // The error itself goes to a custom log as its second argument, for whoever wants the details.
    expect(errors).toEqual([thrown])
  })

  it('treats a rejected promise and a thrown non-Error the same way', async () => {
    const { server, lines } = await start(async (event) => {
      if (event.rawPath === '/reject') throw new Error('async failure')
      throw 'a string'
    })
    expect((await fetch(`${server.url}/reject`, { signal: timeout() })).status).toBe(502)
    expect((await fetch(`${server.url}/string`, { signal: timeout() })).status).toBe(502)
    expect(lines[0]).toMatch(/: Error$/)
    expect(lines[0]).not.toContain('async failure')
    expect(lines[1]).toContain('non-error value thrown (string)')
    expect(lines[1]).not.toContain('a string')
  })

  it('answers a result API Gateway could not use with 502 and says what is wrong', async () => {
    const results: Record<string, unknown> = {
      '/status': { statusCode: 'abc' },
      '/range': { statusCode: 99 },
      '/body': { statusCode: 200, body: { not: 'a string' } },
      '/headers': { statusCode: 200, headers: ['x'] },
      '/header-value': { statusCode: 200, headers: { 'x-a': { nested: true } } },
      '/multi': { statusCode: 200, multiValueHeaders: { 'x-a': 'not-an-array' } },
      '/cookies': { statusCode: 200, cookies: 'a=1' },
      '/crlf': { statusCode: 200, headers: { 'x-a': 'v\r\nInjected: yes' } },
      '/bigint': 10n,
    }
    const { server, lines } = await start((event) => results[event.rawPath])
    for (const path of Object.keys(results)) {
      const response = await rawRequest(server.url, { path })
      expect({ path, status: response.status, body: response.body.toString() }).toEqual({
        path,
        status: 502,
        body: '{"message":"Internal Server Error"}',
      })
      expect(response.headers.injected).toBeUndefined()
    }
    expect(lines).toHaveLength(Object.keys(results).length)
    expect(lines[0]).toContain('invalid handler result: statusCode must be an integer from 100 to 599')
    expect(lines[2]).toContain('body must be a string')
    expect(lines[3]).toContain('headers must be an object')
    expect(lines[4]).toContain('headers["x-a"] must be a string, number or boolean')
    expect(lines[5]).toContain('multiValueHeaders["x-a"] must be an array')
    expect(lines[6]).toContain('cookies must be an array of strings')
    // A value node refuses as a header (CR/LF: response splitting) is caught when written, named by its code.
    expect(lines[7]).toMatch(/TypeError \[ERR_INVALID_CHAR\]$/)
    expect(lines[8]).toMatch(/TypeError$/)
  })

  it('answers 413 to a body over maxBodyBytes without invoking the handler', async () => {
    const handler = jest.fn<LocalHandler>(() => ({ statusCode: 200 }))
    const { server } = await start(handler, { maxBodyBytes: 1024 })
    const declared = await fetch(server.url, { method: 'POST', body: 'x'.repeat(2048), signal: timeout() })
    expect(declared.status).toBe(413)
    expect(await declared.json()).toEqual({ message: 'Request Entity Too Large' })

    // No content-length: the limit is enforced while the body streams in.
    const streamed = await new Promise<number>((resolve, reject) => {
      const outgoing = request(`${server.url}/stream`, { method: 'POST', timeout: 5_000 }, (response) => {
        response.resume()
        resolve(response.statusCode ?? 0)
      })
      outgoing.on('error', reject)
      outgoing.write(Buffer.alloc(800))
      outgoing.write(Buffer.alloc(800))
      outgoing.end()
    })
    expect(streamed).toBe(413)

    const exact = await fetch(server.url, { method: 'POST', body: 'x'.repeat(1024), signal: timeout() })
    expect(exact.status).toBe(200)
    expect(handler).toHaveBeenCalledTimes(1)
  })

  it('logs and drops a request whose body the client abandons', async () => {
    let logged: (line: string) => void = () => {}
    const loggedLine = new Promise<string>((resolve) => {
      logged = resolve
    })
    const handler = jest.fn<LocalHandler>(() => ({ statusCode: 200 }))
    const server = await serveLocal(handler, { log: (line) => logged(line) })
    servers.push(server)
    const outgoing = request(`${server.url}/upload?token=secret`, {
      method: 'POST',
      headers: { 'content-length': '100' },
    })
    outgoing.on('error', () => {})
    outgoing.write('only part of it', () => setImmediate(() => outgoing.destroy()))
    expect(await loggedLine).toMatch(/^serveLocal: POST \/upload failed: Error/)
    expect(handler).not.toHaveBeenCalled()
  })

  it('answers 400 to a request target that is not a path', async () => {
    const handler = jest.fn<LocalHandler>(() => ({ statusCode: 200 }))
    const { server } = await start(handler)
    const response = await rawRequest(server.url, { path: 'http://example.com/x' })
    expect(response.status).toBe(400)
    expect(JSON.parse(response.body.toString())).toEqual({ message: 'Bad Request' })
    expect(handler).not.toHaveBeenCalled()
  })

  it('logs to console.error by default', async () => {
    const spy = jest.spyOn(console, 'error').mockImplementation(() => {})
    try {
      const server = await serveLocal(() => {
        throw new Error('default log')
      })
      servers.push(server)
      await (await fetch(server.url, { signal: timeout() })).arrayBuffer()
      expect(spy).toHaveBeenCalledTimes(1)
      expect(spy.mock.calls[0]).toEqual([expect.stringMatching(/→ 502 \(requestId .+\): Error$/)])
    } finally {
      spy.mockRestore()
    }
  })
})

describe('serveLocal: routes', () => {
  it('selects the most specific route and fills pathParameters; unmatched requests get 404', async () => {
    const events: APIGatewayProxyEventV2[] = []
    const { server } = await start(
      (event) => {
        events.push(event)
        return { statusCode: 200, body: event.routeKey }
      },
      {
        routes: [
          'GET /items/{id}',
          'GET /items/special',
          'ANY /items/{id}',
          'ANY /files/{path+}',
          'GET /{proxy+}',
        ],
      },
    )
    const call = async (method: string, path: string) => {
      const response = await fetch(`${server.url}${path}`, { method, signal: timeout() })
      return { status: response.status, body: await response.text() }
    }
    expect(await call('GET', '/items/42')).toEqual({ status: 200, body: 'GET /items/{id}' })
    expect(events.at(-1)!.pathParameters).toEqual({ id: '42' })
    expect(events.at(-1)!.requestContext.routeKey).toBe('GET /items/{id}')
    expect(await call('GET', '/items/special')).toEqual({ status: 200, body: 'GET /items/special' })
    expect(events.at(-1)!.pathParameters).toBeUndefined()
    expect(await call('DELETE', '/items/a%20b')).toEqual({ status: 200, body: 'ANY /items/{id}' })
    expect(events.at(-1)!.pathParameters).toEqual({ id: 'a b' })
    expect(await call('PUT', '/files/a/b/c.txt')).toEqual({ status: 200, body: 'ANY /files/{path+}' })
    expect(events.at(-1)!.pathParameters).toEqual({ path: 'a/b/c.txt' })
    expect(await call('GET', '/items/1/extra')).toEqual({ status: 200, body: 'GET /{proxy+}' })
    expect(events.at(-1)!.pathParameters).toEqual({ proxy: 'items/1/extra' })
    // A segment that does not percent-decode is passed on as it came.
    expect(await call('GET', '/items/%E0%A4%A')).toEqual({ status: 200, body: 'GET /items/{id}' })
    expect(events.at(-1)!.pathParameters).toEqual({ id: '%E0%A4%A' })

    const count = events.length
    expect(await call('POST', '/files')).toEqual({ status: 404, body: '{"message":"Not Found"}' })
    expect(await call('POST', '/files/')).toEqual({ status: 404, body: '{"message":"Not Found"}' })
    expect(await call('POST', '/items')).toEqual({ status: 404, body: '{"message":"Not Found"}' })
    expect(await call('POST', '/items/')).toEqual({ status: 404, body: '{"message":"Not Found"}' })
    expect(events).toHaveLength(count)
  })

  it('prefers the route listed first among equally specific ones', async () => {
    const { server } = await start((event) => ({ statusCode: 200, body: event.routeKey }), {
      routes: ['GET /a/{first}', 'GET /a/{second}'],
    })
    expect(await (await fetch(`${server.url}/a/1`, { signal: timeout() })).text()).toBe('GET /a/{first}')
  })

  it('sends what no route matches to $default when it is listed', async () => {
    const { server } = await start((event) => ({ statusCode: 200, body: event.routeKey }), {
      routes: ['GET /health', '$default'],
    })
    expect(await (await fetch(`${server.url}/health`, { signal: timeout() })).text()).toBe('GET /health')
    expect(await (await fetch(`${server.url}/other`, { signal: timeout() })).text()).toBe('$default')
  })

  it('rejects malformed route keys at start', async () => {
    await expect(serveLocal(() => null, { routes: ['/no-method'] })).rejects.toThrow(
      /must look like 'GET \/items\/\{id\}'/,
    )
    await expect(serveLocal(() => null, { routes: ['GET /{proxy+}/more'] })).rejects.toThrow(
      /greedy variable/,
    )
  })
})

describe('serveLocal: concurrency and lifecycle', () => {
  it('handles 20 requests at the same time, each with its own event and context', async () => {
    const arrived: Array<() => void> = []
    let allArrived: () => void = () => {}
    const twenty = new Promise<void>((resolve) => {
      allArrived = resolve
    })
    const { server } = await start(async (event, context) => {
      // Nobody is answered until all 20 invocations are in flight together.
      await new Promise<void>((resolve) => {
        arrived.push(resolve)
        if (arrived.length === 20) allArrived()
      })
      return {
        statusCode: 200,
        body: JSON.stringify({
          requestId: event.requestContext.requestId,
          awsRequestId: context.awsRequestId,
          n: event.queryStringParameters?.n,
        }),
      }
    })
    const responses = Array.from({ length: 20 }, (_, n) =>
      fetch(`${server.url}/?n=${n}`, { signal: timeout() }).then(
        (response) => response.json() as Promise<Record<string, string>>,
      ),
    )
    await twenty
    for (const release of arrived) release()
    const bodies = await Promise.all(responses)
    expect(bodies.map((body) => body.n)).toEqual(Array.from({ length: 20 }, (_, n) => String(n)))
    expect(new Set(bodies.map((body) => body.requestId)).size).toBe(20)
    expect(new Set(bodies.map((body) => body.awsRequestId)).size).toBe(20)
  })

  it('close() ends an idle keep-alive connection at once and is safe to call twice', async () => {
    const server = await serveLocal(() => ({ statusCode: 200, body: 'ok' }))
    const agent = new Agent({ keepAlive: true, keepAliveMsecs: 60_000 })
    try {
      const response = await rawRequest(server.url, { agent })
      expect(response.headers.connection).toBe('keep-alive')
      const [socket] = Object.values(agent.freeSockets).flat()
      expect(socket).toBeDefined()
      const socketClosed = new Promise((resolve) => socket!.once('close', resolve))
      await server.close()
      await socketClosed
      await server.close()
      await expect(fetch(server.url, { signal: timeout() })).rejects.toThrow()
    } finally {
      agent.destroy()
    }
  })

  it('close() lets an in-flight request finish, with Connection: close', async () => {
    let entered: () => void = () => {}
    const inHandler = new Promise<void>((resolve) => {
      entered = resolve
    })
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const server = await serveLocal(async () => {
      entered()
      await gate
      return { statusCode: 200, body: 'finished' }
    })
    const agent = new Agent({ keepAlive: true })
    try {
      const pending = rawRequest(server.url, { agent })
      await inHandler
      const closed = server.close()
      release()
      const response = await pending
      expect(response.body.toString()).toBe('finished')
      expect(response.headers.connection).toBe('close')
      await closed
    } finally {
      agent.destroy()
    }
  })

  it('listens on the requested port and reports EADDRINUSE as the listen error', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const { port } = blocker.address() as AddressInfo
    try {
      await expect(serveLocal(() => null, { port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
    const server = await serveLocal(() => null, { port })
    servers.push(server)
    expect(server.port).toBe(port)
    expect(server.url).toBe(`http://127.0.0.1:${port}`)
  })

  it('serves on IPv6 loopback with a bracketed URL', async () => {
    const { server } = await start(() => 'v6', { host: '::1' })
    expect(server.url).toBe(`http://[::1]:${server.port}`)
    const events: string[] = []
    const response = await fetch(server.url, { signal: timeout() })
    events.push(await response.text())
    expect(events).toEqual(['v6'])
  })

  it('reports an IPv4 client behind an IPv4-mapped IPv6 socket by its IPv4 address', async () => {
    const events: APIGatewayProxyEventV2[] = []
    const { server } = await start(
      (event) => {
        events.push(event)
        return { statusCode: 204 }
      },
      { host: '::ffff:127.0.0.1' },
    )
    await (await fetch(server.url, { signal: timeout() })).arrayBuffer()
    expect(events[0]!.requestContext.http.sourceIp).toBe('127.0.0.1')
  })

  it('serves an HTTP/1.0 request without a Host header', async () => {
    const events: APIGatewayProxyEventV2[] = []
    const { server } = await start((event) => {
      events.push(event)
      return { statusCode: 200, body: 'old' }
    })
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, '127.0.0.1', () => socket.end('GET /legacy HTTP/1.0\r\n\r\n'))
      const chunks: Buffer[] = []
      socket.setTimeout(5_000, () => socket.destroy(new Error('timed out')))
      socket.on('data', (chunk) => chunks.push(chunk))
      socket.on('end', () => resolve(Buffer.concat(chunks).toString()))
      socket.on('error', reject)
    })
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK\r\n/)
    expect(reply.endsWith('\r\n\r\nold')).toBe(true)
    expect(events[0]!.requestContext).toMatchObject({
      domainName: 'localhost',
      http: { protocol: 'HTTP/1.0' },
    })
    expect(events[0]!.headers.host).toBeUndefined()
  })

  it('validates its options once, with a clear message', async () => {
    const ok = () => null
    await expect(serveLocal('nope' as never)).rejects.toThrow('serveLocal: handler must be a function')
    await expect(serveLocal(ok, { port: -1 })).rejects.toThrow(/port must be an integer from 0 to 65535/)
    await expect(serveLocal(ok, { port: 1.5 })).rejects.toThrow(/port/)
    await expect(serveLocal(ok, { host: '' })).rejects.toThrow(/host must be a non-empty string/)
    await expect(serveLocal(ok, { maxBodyBytes: -5 })).rejects.toThrow(/maxBodyBytes/)
    await expect(serveLocal(ok, { log: 'x' as never })).rejects.toThrow(/log must be a function/)
    await expect(serveLocal(ok, { routes: 'GET /' as never })).rejects.toThrow(/routes must be an array/)
  })
})
