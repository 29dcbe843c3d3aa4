import { LiftHttpError, problemResponse } from '@lift/security-core'
import type { MiddlewareObj } from '@middy/core'
import { unsupportedMediaType } from './json-body'

/**
 * onError middleware, registered after (inside) @middy/http-error-handler: turns every error into an
 * exposed HTTP error whose message is an RFC 9457 problem document and whose headers carry
 * `Content-Type: application/problem+json`, so the error handler logs it once and writes it as is.
 * Errors from @middy/http-json-body-parser get Lift codes; anything unexpected becomes a generic 500.
 */
export function problemDetails(): MiddlewareObj {
  return {
    onError(request) {
      request.error = new ProblemError(request.error)
    },
  }
}

/** An error already rendered as problem+json: safe to expose, because its body is the public problem. */
export class ProblemError extends Error {
  readonly statusCode: number
  readonly headers: Record<string, string>
  readonly code: string
  readonly expose = true

  constructor(error: unknown) {
    const response = problemResponse(fromJsonBodyParser(error) ?? error)
    super(response.body, { cause: error })
    this.name = error instanceof Error ? error.name : 'NonErrorThrown'
    this.statusCode = response.statusCode
    this.headers = response.headers
    this.code = String((JSON.parse(response.body) as { code?: unknown }).code)
  }
}

const JSON_BODY_PARSER = '@middy/http-json-body-parser'

// @middy/http-json-body-parser 7 throws createError(415) for a Content-Type that is not JSON and
// createError(422) for a missing body, malformed JSON or a forbidden key (__proto__, constructor.prototype).
function fromJsonBodyParser(error: unknown): LiftHttpError | undefined {
  if (!(error instanceof Error) || (error.cause as { package?: unknown })?.package !== JSON_BODY_PARSER) {
    return undefined
  }
  const statusCode = (error as { statusCode?: unknown }).statusCode
  if (statusCode === 415) return unsupportedMediaType()
  return new LiftHttpError(400, { code: 'invalid-json', detail: `${error.message}.` })
}
