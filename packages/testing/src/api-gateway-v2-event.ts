import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { TEST_API_ID } from './api-gateway-v1-event'
import { httpApiRequestId, TEST_ACCOUNT_ID, TEST_REGION } from './aws-ids'
import { payloadV2Event } from './http-api-v2-shape'
import { type HttpEventInit, normalizeHttpInit } from './http-event-init'

/**
 * An API Gateway HTTP API (payload 2.0) event: `version: '2.0'`, `routeKey` (default `$default`),
 * `rawPath`, `rawQueryString` (percent-encoded), `cookies` array, lower-case headers with repeated
 * fields joined by ',', and `requestContext.http.{method, path, protocol, sourceIp, userAgent}`.
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
  const request = normalizeHttpInit(init, `${TEST_API_ID}.execute-api.${TEST_REGION}.amazonaws.com`)
  return payloadV2Event(request, {
    accountId: TEST_ACCOUNT_ID,
    apiId: TEST_API_ID,
    domainName: request.host,
    requestId: init.requestId ?? httpApiRequestId(),
    routeKey: init.routeKey ?? '$default',
    stage: init.stage ?? '$default',
    pathParameters: init.pathParameters,
    stageVariables: init.stageVariables,
    authorizer: init.authorizer,
  })
}
