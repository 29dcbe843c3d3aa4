import type { Logger } from '@aws-lambda-powertools/logger'
import { PROBLEM_CONTENT_TYPE, problemResponse } from '@lift/security-core'
import type { Request } from '@middy/core'
import type { Redactor } from './redact'
import type { InvocationTrace } from './tracing'

/**
 * A 5xx without a body (what @middy/http-error-handler makes of an error it does not expose) gets the same
 * RFC 9457 problem+json shape as Lift's 4xx: a generic `internal-error`, never the error's message or stack.
 */
export function renderBodilessServerError(request: Request): void {
  const response = request.response as
    | { statusCode?: unknown; headers?: Record<string, unknown>; body?: unknown }
    | undefined
  if (typeof response !== 'object' || response === null) return
  const { statusCode } = response
  if (typeof statusCode !== 'number' || statusCode < 500 || statusCode > 599) return
  if (response.body !== undefined && response.body !== null && response.body !== '') return
  const problem = problemResponse(statusCode === 500 ? undefined : { statusCode, expose: true })
  const headers = Object.fromEntries(
    Object.entries(response.headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-type'),
  )
  response.headers = { ...headers, 'Content-Type': PROBLEM_CONTENT_TYPE }
  response.body = problem.body
}

export function logFailure(
  logger: Logger,
  redactor: Redactor,
  error: unknown,
  statusCode: number | undefined,
  trace: InvocationTrace,
): void {
  const name = error instanceof Error ? error.name : error === undefined ? 'ServerError' : typeof error
  const message =
    error instanceof Error ? redactor.text(error.message).slice(0, 1000) : `status ${statusCode}`
  trace.error({ name, message })
  const logged = error instanceof Error ? describeError(redactor, error, 0) : { name, message }
  logger.error('invocation failed', { error: logged, statusCode })
}

const MAX_CAUSES = 5
const MAX_STACK = 4000

/** name, message and stack, credentials masked, with the `cause` chain (at most five deep). */
function describeError(redactor: Redactor, error: Error, depth: number): Record<string, unknown> {
  const described: Record<string, unknown> = {
    name: error.name,
    message: redactor.text(error.message).slice(0, 1000),
  }
  if (typeof error.stack === 'string') described.stack = redactor.text(error.stack).slice(0, MAX_STACK)
  const { cause } = error
  if (cause === undefined || cause === null) return described
  if (depth + 1 >= MAX_CAUSES) described.cause = '[…]'
  else if (cause instanceof Error) described.cause = describeError(redactor, cause, depth + 1)
  else described.cause = redactor.value(cause)
  return described
}
