import type { HttpEventSource } from '../http-request-view'
import { isRecord, nonEmptyString, type UnknownRecord } from './values'

/**
 * Which AWS integration produced `event`, or undefined when it is not an HTTP event. Rules, first match wins:
 * - `requestContext.elb` is an object and `httpMethod` a non-empty string → 'alb'
 * - `requestContext.connectionId` and `requestContext.eventType` are strings → 'websocket'
 * - `requestContext.http.method` is a non-empty string (payload format 2.0) → 'function-url' when
 *   `requestContext.domainName` ends with `.lambda-url.<region>.on.aws`, or, without a domainName, when
 *   `routeKey` is the `$default` placeholder and `apiId` is not a 10-character API Gateway id; else 'apigw-http'
 * - `httpMethod` is a non-empty string → 'apigw-rest' (REST API, and HTTP API payload format 1.0)
 */
export function detectHttpSource(event: unknown): HttpEventSource | undefined {
  if (!isRecord(event)) return undefined
  const context = event.requestContext
  if (isRecord(context)) {
    if (isRecord(context.elb)) return nonEmptyString(event.httpMethod) ? 'alb' : undefined
    if (typeof context.connectionId === 'string' && typeof context.eventType === 'string') return 'websocket'
    if (isRecord(context.http) && nonEmptyString(context.http.method)) {
      return isFunctionUrl(context) ? 'function-url' : 'apigw-http'
    }
  }
  return nonEmptyString(event.httpMethod) ? 'apigw-rest' : undefined
}

/** Why `event` is not an HTTP event, in words safe to show a client (types only, never content). */
export function describeNonHttpEvent(event: unknown): string {
  const expected = 'Expected an API Gateway (REST, HTTP API, WebSocket), ALB or Lambda Function URL event'
  if (event === null) return `${expected}; received null.`
  if (Array.isArray(event)) return `${expected}; received an array.`
  if (typeof event !== 'object') return `${expected}; received ${typeof event}.`
  return `${expected}; received an object with no HTTP method (httpMethod or requestContext.http.method).`
}

const LAMBDA_URL_DOMAIN = /\.lambda-url\.[a-z0-9-]+\.on\.aws$/i
const API_GATEWAY_ID = /^[a-z0-9]{10}$/

function isFunctionUrl(context: UnknownRecord): boolean {
  if (typeof context.domainName === 'string') return LAMBDA_URL_DOMAIN.test(context.domainName)
  const apiId = context.apiId
  return context.routeKey === '$default' && !(typeof apiId === 'string' && API_GATEWAY_ID.test(apiId))
}
