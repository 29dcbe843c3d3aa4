import { httpRequestView, LiftHttpError } from '@lift/security-core'
import type { MiddlewareObj } from '@middy/core'
import httpJsonBodyParser, { type RequestEvent } from '@middy/http-json-body-parser'
import { findRoute } from './routes'

/**
 * Runs @middy/http-json-body-parser for the routes that take a JSON body, and only for them: GET /hello has
 * no Content-Type and must not get a 415, and 404/405 are answered by routing before the body is looked at.
 * The content type and the presence of a body are checked here through the view, which reads the headers
 * of every source: the parser only looks at `event.headers` (absent from ALB multi-value events) and takes
 * a REST API's `body: null` for the JSON value `null`.
 */
export function jsonBodyOnJsonRoutes(): MiddlewareObj<RequestEvent> {
  const parser = httpJsonBodyParser<RequestEvent>({ disableContentTypeCheck: true })
  return {
    before(request) {
      const view = httpRequestView(request.event)
      if (!findRoute(view).jsonBody) return
      if (!JSON_CONTENT_TYPE.test(view.header('content-type') ?? '')) throw unsupportedMediaType()
      if (!view.rawBody?.length) {
        throw new LiftHttpError(400, {
          code: 'invalid-json',
          detail: 'The request has no body: send a JSON object.',
        })
      }
      return parser.before?.(request)
    },
  }
}

export function unsupportedMediaType(): LiftHttpError {
  return new LiftHttpError(415, {
    code: 'unsupported-media-type',
    detail: 'Send the body as JSON with Content-Type: application/json.',
  })
}

// The parser's own test: application/json or application/<anything>+json, any case, parameters allowed.
const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]+\+)?json(;|$)/i
