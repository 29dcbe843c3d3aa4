import { errorStatusText } from './status-text'

/** An RFC 9457 problem details object, with Lift's machine-readable `code` member. */
export interface ProblemDetails {
  type: string
  title: string
  status: number
  detail?: string
  instance?: string
  code: string
  [ext: string]: unknown
}

/**
 * What a `LiftHttpError` renders as its RFC 9457 problem: the stable `code`, the public `detail`, and headers.
 * @example
 * ```ts
 * import { LiftHttpError } from '@lift/security-core'
 *
 * throw new LiftHttpError(429, {
 *   code: 'rate-limited',
 *   detail: 'Too many requests; retry later.',
 *   headers: { 'Retry-After': '30' },
 * })
 * ```
 */
export interface LiftHttpErrorOptions {
  /** Stable machine-readable identifier, e.g. 'unauthenticated', 'rate-limited'. */
  code: string
  /** Public, human-readable explanation. Never put a secret, token or internal reason here. */
  detail?: string
  /** Defaults to the HTTP status text. */
  title?: string
  /** Defaults to 'about:blank'. */
  type?: string
  /** Extra response headers, e.g. WWW-Authenticate or Retry-After. */
  headers?: Record<string, string>
  /** Extra problem members; they cannot replace type, title, status, detail or code. */
  extensions?: Record<string, unknown>
  /** Internal cause, kept on the error for logs; never rendered. */
  cause?: unknown
}

/**
 * An HTTP response (API Gateway, ALB, Function URL shape) whose body is an `application/problem+json` document.
 */
export interface ProblemHttpResponse {
  statusCode: number
  headers: Record<string, string>
  body: string
}

/**
 * The media type of every Lift error response (RFC 9457).
 */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

const GENERIC_DETAIL = 'The server could not complete the request.'
// A brand instead of only `instanceof`, so an error from a second copy of this package (ESM next to CJS,
// or two installed versions) is still recognised.
const LIFT_HTTP_ERROR = Symbol.for('@lift/security-core.LiftHttpError')

/**
 * An HTTP error that renders as an RFC 9457 problem+json response. `message` is the serialized problem so
 * that @middy/http-error-handler (body = message, headers merged from `error.headers`) renders it unchanged.
 */
export class LiftHttpError extends Error {
  override readonly name = 'LiftHttpError'
  readonly statusCode: number
  readonly status: number
  readonly code: string
  readonly detail?: string
  readonly headers: Record<string, string>
  readonly expose: boolean
  readonly problem: ProblemDetails

  constructor(statusCode: number, options: LiftHttpErrorOptions) {
    assertErrorStatus(statusCode)
    assertOptions(options)
    const problem = buildProblem(statusCode, options)
    super(JSON.stringify(problem), options.cause === undefined ? undefined : { cause: options.cause })
    this.statusCode = statusCode
    this.status = statusCode
    this.code = options.code
    if (options.detail !== undefined) this.detail = options.detail
    this.headers = { ...withoutContentType(options.headers ?? {}), 'Content-Type': PROBLEM_CONTENT_TYPE }
    // Always exposed, 5xx included: a LiftHttpError is built to be public (its detail is documented as public),
    // and @middy/http-error-handler would otherwise replace a 503 + Retry-After with a bare 500.
    this.expose = true
    this.problem = problem
    Object.defineProperty(this, LIFT_HTTP_ERROR, { value: true })
  }
}

/**
 * True for a `LiftHttpError`, also one created by another copy of this package (it is recognized by a brand,
 * not by `instanceof` alone).
 * @example
 * ```ts
 * import { isLiftHttpError, requirePrincipal } from '@lift/security-core'
 *
 * try {
 *   requirePrincipal({ context })
 * } catch (error) {
 *   if (isLiftHttpError(error) && error.statusCode === 401) console.log(error.code) // 'unauthenticated'
 * }
 * ```
 */
export function isLiftHttpError(e: unknown): e is LiftHttpError {
  return e instanceof LiftHttpError || (typeof e === 'object' && e !== null && LIFT_HTTP_ERROR in e)
}

/**
 * Renders any thrown value as a problem+json response: a LiftHttpError as its problem, an exposed Middy
 * HttpError from its status and message, and anything else as a generic 500 that reveals nothing.
 * @example
 * ```ts
 * import { problemResponse } from '@lift/security-core'
 * import middy from '@middy/core'
 *
 * const handler = middy(async () => ({ statusCode: 200, body: 'ok' })).onError((request) => {
 *   request.response = problemResponse(request.error, { instance: request.context.awsRequestId })
 * })
 * ```
 */
export function problemResponse(error: unknown, options: { instance?: string } = {}): ProblemHttpResponse {
  const { statusCode, headers, problem } = toRenderable(error)
  const body = options.instance === undefined ? problem : { ...problem, instance: options.instance }
  return { statusCode, headers, body: JSON.stringify(body) }
}

function toRenderable(error: unknown): {
  statusCode: number
  headers: Record<string, string>
  problem: ProblemDetails
} {
  if (isLiftHttpError(error)) {
    return { statusCode: error.statusCode, headers: { ...error.headers }, problem: { ...error.problem } }
  }
  if (isExposedHttpError(error)) {
    const detail = typeof error.message === 'string' && error.message !== '' ? error.message : undefined
    const lift = new LiftHttpError(error.statusCode, {
      code: codeFromStatus(error.statusCode),
      ...(detail === undefined ? {} : { detail }),
      headers: stringHeaders(error.headers),
    })
    return { statusCode: lift.statusCode, headers: lift.headers, problem: lift.problem }
  }
  const internal = new LiftHttpError(500, { code: 'internal-error', detail: GENERIC_DETAIL })
  return { statusCode: 500, headers: internal.headers, problem: internal.problem }
}

interface ExposedHttpError {
  statusCode: number
  message?: unknown
  headers?: unknown
}

/** Middy's HttpError (from createError) or any http-errors style error marked `expose: true`. */
function isExposedHttpError(error: unknown): error is ExposedHttpError {
  if (typeof error !== 'object' || error === null) return false
  const candidate = error as { statusCode?: unknown; expose?: unknown }
  return candidate.expose === true && isErrorStatus(candidate.statusCode)
}

function buildProblem(statusCode: number, options: LiftHttpErrorOptions): ProblemDetails {
  const problem: ProblemDetails = {
    ...withoutReservedMembers(options.extensions ?? {}),
    type: options.type ?? 'about:blank',
    title: options.title ?? errorStatusText(statusCode),
    status: statusCode,
    code: options.code,
  }
  if (options.detail !== undefined) problem.detail = options.detail
  return problem
}

const RESERVED_MEMBERS = new Set(['type', 'title', 'status', 'detail', 'code'])

function withoutReservedMembers(extensions: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(extensions).filter(([name]) => !RESERVED_MEMBERS.has(name)))
}

function codeFromStatus(statusCode: number): string {
  return errorStatusText(statusCode)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (name.toLowerCase() !== 'content-type') result[name] = value
  }
  return result
}

function stringHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {}
  if (typeof headers !== 'object' || headers === null) return result
  for (const [name, value] of Object.entries(headers)) {
    if (typeof value === 'string') result[name] = value
  }
  return result
}

function isErrorStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
}

function assertErrorStatus(statusCode: number): void {
  if (!isErrorStatus(statusCode)) {
    throw new RangeError(
      `LiftHttpError: statusCode must be an integer from 400 to 599, got ${String(statusCode)}`,
    )
  }
}

function assertOptions(options: LiftHttpErrorOptions): void {
  if (typeof options?.code !== 'string' || options.code === '') {
    throw new TypeError('LiftHttpError: options.code must be a non-empty string')
  }
  if (options.headers !== undefined) {
    for (const [name, value] of Object.entries(options.headers)) {
      if (typeof value !== 'string') {
        throw new TypeError(`LiftHttpError: header "${name}" must be a string`)
      }
    }
  }
}
