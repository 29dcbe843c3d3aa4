import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { types } from 'node:util'
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda'
import { type LambdaContextInit, lambdaContext } from './lambda-context'
import { localEvent, requestTarget } from './local-event'
import { baseUrl, listen } from './local-http-server'
import { InvalidHandlerResult, type LocalResponse, toLocalResponse } from './local-response'
import { compileRoutes, type RouteMatch } from './local-routes'

/** Any Lambda handler of HTTP API events: a Middy handler, an async function, a plain function. */
export type LocalHandler = (event: APIGatewayProxyEventV2, context: Context) => unknown

/**
 * Options of {@link serveLocal}; every one is optional.
 *
 * @example
 * ```ts
 * import { serveLocal } from '@lift/testing'
 *
 * const server = await serveLocal(handler, {
 *   routes: ['GET /orders/{id}', 'POST /orders'],
 *   maxBodyBytes: 1024 * 1024,
 *   context: { functionName: 'orders-api', timeoutMs: 6_000 },
 *   log: (line) => process.stderr.write(`${line}\n`),
 * })
 * ```
 */
export interface ServeLocalOptions {
  /** Port to listen on; 0 picks a free one (default 0). */
  port?: number
  /** Address to listen on (default `127.0.0.1`). */
  host?: string
  /** Settings of the Lambda context each invocation gets (a fresh one per request). */
  context?: LambdaContextInit
  /** Larger request bodies are answered 413 without invoking the handler (default 10 MiB, as API Gateway). */
  maxBodyBytes?: number
  /**
   * Where failures are reported, one line each, with the error as second argument (default: the line to
   * `console.error`). The line names the error but never carries its message or stack.
   */
  log?: (line: string, error: unknown) => void
  /**
   * HTTP API route keys (`GET /items/{id}`, `ANY /{proxy+}`, `$default`). Without this option every
   * request goes to `$default`; with it, the best match sets `routeKey` and `pathParameters`, and a
   * request no route matches gets 404 `{"message":"Not Found"}` unless `$default` is listed.
   */
  routes?: readonly string[]
  /** Clock in epoch ms for `requestContext.timeEpoch` and the Lambda deadline (default `Date.now`). */
  now?: () => number
}

/**
 * A running server from {@link serveLocal}.
 *
 * @example
 * ```ts
 * import { type LocalServer, serveLocal } from '@lift/testing'
 *
 * const server: LocalServer = await serveLocal(handler)
 * const response = await fetch(`${server.url}/hello`)
 * await server.close()
 * ```
 */
export interface LocalServer {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string
  readonly port: number
  /** Stops accepting connections, ends idle keep-alive connections now and the others after their response. */
  close(): Promise<void>
}

/** The defaults of {@link serveLocal}: a free port on 127.0.0.1, bodies up to 10 MiB (as API Gateway). */
export const serveLocalDefaults: Readonly<{ port: number; host: string; maxBodyBytes: number }> =
  Object.freeze({
    port: 0,
    host: '127.0.0.1',
    maxBodyBytes: 10 * 1024 * 1024,
  })

const DEFAULT_ROUTE: RouteMatch = Object.freeze({ routeKey: '$default', pathParameters: undefined })

/**
 * Serves a Lambda handler over real HTTP: each request becomes an API Gateway HTTP API (payload 2.0)
 * event, the handler's result becomes the response as API Gateway would send it. A handler that throws
 * or returns something API Gateway cannot use gets 502 `{"message":"Internal Server Error"}` and one log
 * line (nothing of the error reaches the client).
 *
 * @example
 * ```ts
 * import { serveLocal } from '@lift/testing'
 *
 * const server = await serveLocal(handler, { routes: ['GET /orders/{id}'] }) // http://127.0.0.1:<free port>
 * const response = await fetch(`${server.url}/orders/42`) // event.pathParameters → { id: '42' }
 * // an unknown route answers 404 {"message":"Not Found"} without invoking the handler
 * await server.close()
 * ```
 */
export async function serveLocal(
  handler: LocalHandler,
  options: ServeLocalOptions = {},
): Promise<LocalServer> {
  const settings = { ...serveLocalDefaults, ...withoutUndefined(options) }
  validate(handler, settings)
  const log = options.log ?? ((line: string) => console.error(line))
  const now = options.now ?? Date.now
  const matchRoute = options.routes ? compileRoutes(options.routes) : () => DEFAULT_ROUTE
  let closing = false

  const server = createServer((request, response) => {
    if (closing) response.setHeader('connection', 'close')
    serve(request, response).catch((error: unknown) => {
      log(
        `serveLocal: ${request.method} ${String(request.url).split('?')[0]} failed: ${describe(error)}`,
        error,
      )
      response.destroy()
    })
  })

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = requestTarget(request)
    if (!target) return answerWithoutHandler(request, response, 400, 'Bad Request')
    const route = matchRoute(target.method, target.rawPath)
    if (!route) return answerWithoutHandler(request, response, 404, 'Not Found')
    const body = await readBody(request, settings.maxBodyBytes)
    if (!body) {
      response.setHeader('connection', 'close')
      return sendJson(response, 413, { message: 'Request Entity Too Large' })
    }
    const event = localEvent(request, target, route, body, now())
    const requestId = event.requestContext.requestId
    response.setHeader('apigw-requestid', requestId)

    let result: LocalResponse | undefined
    let failure: unknown
    try {
      const context = lambdaContext({ ...options.context, now: options.context?.now ?? now })
      result = toLocalResponse(await handler(event, context))
    } catch (error) {
      failure = error
    }
    // The server may have started closing while the handler ran: this response ends the connection.
    if (closing) response.setHeader('connection', 'close')
    if (result) {
      try {
        return writeResponse(response, result)
      } catch (error) {
        for (const name of response.getHeaderNames()) {
          if (name !== 'apigw-requestid' && name !== 'connection') response.removeHeader(name)
        }
        failure = error
      }
    }
    log(
      `serveLocal: ${target.method} ${target.rawPath} → 502 (requestId ${requestId}): ${describe(failure)}`,
      failure,
    )
    sendJson(response, 502, { message: 'Internal Server Error' })
  }

  const address = await listen(server, settings.port, settings.host)
  let closed: Promise<void> | undefined
  return {
    url: baseUrl(address),
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        closing = true
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeIdleConnections()
      })
      return closed
    },
  }
}

/** Reads the whole body; undefined (and the rest discarded) once it exceeds `limit` bytes. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers['content-length'] ?? 0)
  if (declared > limit) {
    request.resume()
    return undefined
  }
  const chunks: Buffer[] = []
  let length = 0
  for await (const chunk of request) {
    length += (chunk as Buffer).length
    if (length > limit) {
      request.resume()
      return undefined
    }
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks)
}

function writeResponse(response: ServerResponse, result: LocalResponse): void {
  const grouped = new Map<string, { name: string; values: string[] }>()
  for (const [name, value] of result.headers) {
    const key = name.toLowerCase()
    const entry = grouped.get(key)
    if (entry) entry.values.push(value)
    else grouped.set(key, { name, values: [value] })
  }
  for (const { name, values } of grouped.values())
    response.setHeader(name, values.length === 1 ? values[0]! : values)
  response.setHeader('content-length', result.body.length)
  response.writeHead(result.statusCode)
  response.end(result.body)
}

function answerWithoutHandler(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  message: string,
): void {
  request.resume()
  sendJson(response, status, { message })
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const bytes = Buffer.from(JSON.stringify(body))
  response.setHeader('content-type', 'application/json')
  response.setHeader('content-length', bytes.length)
  response.writeHead(status)
  response.end(bytes)
}

/**
 * What went wrong, in words that cannot carry a secret: serveLocal's own findings in full, otherwise only
 * the error's name and code (a handler's message or stack may hold tokens or keys; a `log` option gets the
 * error itself as its second argument).
 */
function describe(error: unknown): string {
  if (error instanceof InvalidHandlerResult) return `invalid handler result: ${error.message}`
  // isNativeError also recognises errors from another realm (node core's, seen from a test sandbox).
  if (!(error instanceof Error || types.isNativeError(error)))
    return `non-error value thrown (${typeof error})`
  const code = (error as { code?: unknown }).code
  return typeof code === 'string' ? `${error.name} [${code}]` : error.name
}

function validate(handler: unknown, settings: typeof serveLocalDefaults & ServeLocalOptions): void {
  if (typeof handler !== 'function') throw new TypeError('serveLocal: handler must be a function')
  const { port, host, maxBodyBytes, log, routes } = settings
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`serveLocal: port must be an integer from 0 to 65535 (got ${String(port)})`)
  }
  if (typeof host !== 'string' || host === '')
    throw new TypeError('serveLocal: host must be a non-empty string')
  if (!Number.isSafeInteger(maxBodyBytes) || maxBodyBytes < 0) {
    throw new TypeError(
      `serveLocal: maxBodyBytes must be a non-negative integer (got ${String(maxBodyBytes)})`,
    )
  }
  if (log !== undefined && typeof log !== 'function')
    throw new TypeError('serveLocal: log must be a function')
  if (routes !== undefined && (!Array.isArray(routes) || routes.some((route) => typeof route !== 'string'))) {
    throw new TypeError('serveLocal: routes must be an array of route keys')
  }
}

function withoutUndefined<T extends object>(record: T): Partial<T> {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>
}
