import { httpRequestView } from '@lift/security-core'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import type { RequestEvent } from '@middy/http-json-body-parser'
import { errorSummaryLogger, type LogLine } from './error-log'
import { jsonBodyOnJsonRoutes } from './json-body'
import { problemDetails } from './problem-details'
import { findRoute, type JsonResponse } from './routes'

export interface HelloWorldOptions {
  /** Where the one-line error summaries go (default: console.error). */
  logLine?: LogLine
}

/** API Gateway REST (v1), HTTP API (v2), ALB and Function URL events (the last are v2-shaped). */
export type HttpEvent = RequestEvent

/** The hello-world function: GET /hello, POST /echo and GET /whoami; every error is problem+json. */
export function createHandler(options: HelloWorldOptions = {}) {
  return middy<HttpEvent, JsonResponse>()
    .use(httpErrorHandler({ logger: errorSummaryLogger(options.logLine) }))
    .use(problemDetails())
    .use(jsonBodyOnJsonRoutes())
    .handler((event) => {
      const view = httpRequestView(event)
      return findRoute(view).handle(view, event.body)
    })
}

export const handler = createHandler()
