import { isExecuteApiHost } from '@lift/security-core'
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { TEST_API_ID } from './api-gateway-v1-event'
import { httpApiRequestId, TEST_ACCOUNT_ID, TEST_REGION } from './aws-ids'
import { httpApiPath, payloadV2Event } from './http-api-v2-shape'
import { type HttpEventInit, normalizeHttpInit } from './http-event-init'

/**
 * An API Gateway HTTP API (payload 2.0) event: `version: '2.0'`, `routeKey` (default `$default`),
 * `rawPath`, `rawQueryString` (percent-encoded), `cookies` array, lower-case headers with repeated
 * fields joined by ',', and `requestContext.http.{method, path, protocol, sourceIp, userAgent}`.
 * `path` is the path after the stage, as the client sent it: `rawPath` and `requestContext.http.path` hold
 * it percent-decoded, after `/<stage>` for a named `stage` (not `$default`) on the execute-api domain, as
 * AWS sends them.
 *
 * @example
 * ```ts
 * import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
 *
 * const event = apiGatewayV2Event({
 *   method: 'POST',
 *   path: '/orders',
 *   headers: { authorization: 'Bearer eyJhbGciOi…' },
 *   cookies: { session: 'abc' },
 *   body: { qty: 1 },
 * })
 * // event.body → '{"qty":1}'; event.cookies → ['session=abc']; event.routeKey → '$default'
 * const result = await handler(event, lambdaContext())
 * ```
 */
export function apiGatewayV2Event(init: HttpEventInit = {}): APIGatewayProxyEventV2 {
  const normalized = normalizeHttpInit(init, `${TEST_API_ID}.execute-api.${TEST_REGION}.amazonaws.com`)
  const stage = init.stage ?? '$default'
  const path = httpApiPath(normalized.path)
  const request = { ...normalized, path: `${stagePrefix(stage, normalized.host)}${path}` }
  return payloadV2Event(request, {
    accountId: TEST_ACCOUNT_ID,
    apiId: TEST_API_ID,
    domainName: request.host,
    requestId: init.requestId ?? httpApiRequestId(),
    routeKey: init.routeKey ?? '$default',
    stage,
    pathParameters: init.pathParameters,
    stageVariables: init.stageVariables,
    authorizer: init.authorizer,
  })
}

/**
 * On its execute-api domain an HTTP API serves a named stage under `/<stage>`, and AWS keeps that segment in
 * rawPath and requestContext.http.path; the $default stage is served at the root, and a custom domain's API
 * mapping selects the stage without a segment.
 */
export function stagePrefix(stage: string, host: string): string {
  return stage !== '$default' && isExecuteApiHost(host) ? `/${stage}` : ''
}
