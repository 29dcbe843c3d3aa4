import type { ALBEvent } from 'aws-lambda'
import { TEST_ACCOUNT_ID, TEST_REGION } from './aws-ids'
import {
  encodeQueryComponent,
  type FieldPair,
  flattenFields,
  groupFields,
  type HttpEventInit,
  headersWithCookieField,
  lastOf,
  multiValueFields,
  normalizeHttpInit,
} from './http-event-init'

/** ALB events have no routes, stages, path variables, request id or authorizer. */
export interface AlbEventInit
  extends Omit<
    HttpEventInit,
    'routeKey' | 'stage' | 'pathParameters' | 'stageVariables' | 'requestId' | 'authorizer'
  > {
  /** The target group has multi-value headers enabled: only `multiValueHeaders`/`multiValueQueryStringParameters`. */
  multiValue?: boolean
  /** requestContext.elb.targetGroupArn. */
  targetGroupArn?: string
}

/** The target group ARN in `requestContext.elb.targetGroupArn` of every {@link albEvent} without `targetGroupArn`. */
export const TEST_TARGET_GROUP_ARN = `arn:aws:elasticloadbalancing:${TEST_REGION}:${TEST_ACCOUNT_ID}:targetgroup/lift-test/6d0ecf831eec9f09`

/**
 * An Application Load Balancer event. Header names are lower-case. Query names and values stay
 * percent-encoded: the load balancer does not decode them. Without `multiValue`, a repeated header or
 * parameter keeps its last value in `headers`/`queryStringParameters`; with it, only the multi-value
 * maps are present. `body` is `''` when the request has none.
 *
 * @example
 * ```ts
 * import { albEvent } from '@lift/testing'
 *
 * const event = albEvent({ method: 'POST', path: '/orders', query: { 'dry run': '1' }, body: { qty: 1 } })
 * // event.queryStringParameters → { 'dry%20run': '1' }; event.headers['content-type'] → 'application/json'
 * const multi = albEvent({ headers: { accept: ['text/html', 'application/json'] }, multiValue: true })
 * // multi.multiValueHeaders?.accept → ['text/html', 'application/json']
 * ```
 */
export function albEvent(init: AlbEventInit = {}): ALBEvent {
  const request = normalizeHttpInit(init, 'lift-test-1234567890.us-east-1.elb.amazonaws.com')
  const headers = groupFields(headersWithCookieField(request), true)
  const encodedQuery: FieldPair[] = request.query.map(([name, value]) => [
    encodeQueryComponent(name),
    encodeQueryComponent(value),
  ])
  const query = groupFields(encodedQuery, false)
  const event: ALBEvent = {
    requestContext: { elb: { targetGroupArn: init.targetGroupArn ?? TEST_TARGET_GROUP_ARN } },
    httpMethod: request.method,
    path: request.path,
    body: request.body ?? '',
    isBase64Encoded: request.isBase64Encoded,
  }
  if (init.multiValue) {
    event.multiValueHeaders = multiValueFields(headers)
    event.multiValueQueryStringParameters = multiValueFields(query)
  } else {
    event.headers = flattenFields(headers, lastOf)
    event.queryStringParameters = flattenFields(query, lastOf)
  }
  return event
}
