import { type HttpRequestView, LiftHttpError } from '@lift/security-core'

export interface JsonResponse {
  statusCode: number
  headers: Record<string, string>
  body: string
}

export interface Route {
  readonly method: string
  readonly path: string
  /** The route takes a JSON body: the JSON body parser runs for it (and only for it). */
  readonly jsonBody: boolean
  handle(view: HttpRequestView, body: unknown): JsonResponse
}

/** Every route the function serves; template.yaml declares exactly these (test/template.test.ts checks it). */
export const routes: readonly Route[] = Object.freeze([
  { method: 'GET', path: '/hello', jsonBody: false, handle: hello },
  { method: 'POST', path: '/echo', jsonBody: true, handle: echo },
  { method: 'GET', path: '/whoami', jsonBody: false, handle: whoami },
])

/** The route for the request; 404 for an unknown path, 405 (with Allow) for a known path and another method. */
export function findRoute(view: HttpRequestView): Route {
  const onPath = routes.filter((route) => route.path === view.path)
  const route = onPath.find((candidate) => candidate.method === view.method)
  if (route) return route
  if (onPath.length === 0) {
    throw new LiftHttpError(404, { code: 'not-found', detail: 'No route matches this path.' })
  }
  const allow = onPath.map((candidate) => candidate.method).join(', ')
  throw new LiftHttpError(405, {
    code: 'method-not-allowed',
    detail: `This path accepts ${allow} only.`,
    headers: { Allow: allow },
  })
}

export const NAME_PATTERN = /^[\p{L}\p{Nd} _-]{1,64}$/u
export const MAX_MESSAGE_LENGTH = 280

function hello(view: HttpRequestView): JsonResponse {
  const names = view.queryValues('name')
  if (names.length > 1) {
    throw new LiftHttpError(400, { code: 'invalid-name', detail: 'Give the name parameter once.' })
  }
  const name = names[0] ?? 'world'
  if (!NAME_PATTERN.test(name)) {
    throw new LiftHttpError(400, {
      code: 'invalid-name',
      detail: 'name must be 1-64 letters, digits, spaces, hyphens or underscores.',
    })
  }
  return json(200, { message: `Hello, ${name}!` })
}

function echo(_view: HttpRequestView, body: unknown): JsonResponse {
  const message = isRecord(body) ? body.message : undefined
  if (typeof message !== 'string' || message.length === 0 || [...message].length > MAX_MESSAGE_LENGTH) {
    throw new LiftHttpError(400, {
      code: 'invalid-message',
      detail: `The body must be a JSON object with a "message" string of 1-${MAX_MESSAGE_LENGTH} characters.`,
    })
  }
  return json(201, { message })
}

function whoami(view: HttpRequestView): JsonResponse {
  return json(
    200,
    {
      source: view.source,
      method: view.method,
      path: view.path,
      sourceIp: view.sourceIp ?? null,
      requestId: view.requestId ?? null,
      userAgent: view.header('user-agent') ?? null,
    },
    { 'Cache-Control': 'no-store' },
  )
}

function json(statusCode: number, value: unknown, headers: Record<string, string> = {}): JsonResponse {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(value),
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
