import { isLiftHttpError, LiftHttpError } from '@lift/security-core'
import type { MiddlewareObj } from '@middy/core'

/**
 * Middy's own middlewares throw `HttpError`s with a plain-text message; this turns each into a problem+json
 * LiftHttpError before @middy/http-error-handler renders it, so every error the API returns has one shape.
 * A body that is not JSON at all is a 400 (syntax), while a JSON body of the wrong shape stays 422.
 */
export function problemJsonErrors(): MiddlewareObj {
  return {
    onError(request) {
      const error = request.error as { statusCode?: unknown; expose?: unknown; cause?: unknown } | null
      if (isLiftHttpError(error) || !error || typeof error.statusCode !== 'number') return
      if (error.statusCode < 400 || error.statusCode >= 500 || error.expose !== true) return
      request.error = fromMiddyError(error.statusCode, error)
    },
  }
}

function fromMiddyError(statusCode: number, cause: unknown): LiftHttpError {
  if (statusCode === 415)
    return new LiftHttpError(415, {
      code: 'unsupported-media-type',
      detail: 'Send the body as application/json.',
      cause,
    })
  const fromBodyParser =
    (cause as { cause?: { package?: unknown } }).cause?.package === '@middy/http-json-body-parser'
  if (fromBodyParser)
    return new LiftHttpError(400, {
      code: 'invalid-json',
      detail: 'The request body is not valid JSON.',
      cause,
    })
  return new LiftHttpError(statusCode, { code: 'bad-request', cause })
}
