import type { LambdaFunctionURLEvent } from 'aws-lambda'
import { TEST_ACCOUNT_ID, TEST_REGION, uuid } from './aws-ids'
import { payloadV2Event } from './http-api-v2-shape'
import { type HttpEventInit, normalizeHttpInit } from './http-event-init'

/** A Function URL has no routes, stages or path variables: those fields of the HTTP init do not apply. */
export type FunctionUrlEventInit = Omit<
  HttpEventInit,
  'routeKey' | 'stage' | 'pathParameters' | 'stageVariables'
>

/** The url-id of the generated Function URL domain (32 lower-case alphanumerics, as AWS makes them). */
export const TEST_FUNCTION_URL_ID = 'abcdefghijklmnopqrstuvwxyz012345'

const LAMBDA_URL_DOMAIN = /^[a-z0-9]+\.lambda-url\.[a-z0-9-]+\.on\.aws$/

/**
 * A Lambda Function URL event: the payload 2.0 shape with `routeKey` and `stage` `$default`,
 * `requestContext.accountId` `anonymous` (auth type NONE; an `authorizer` init means AWS_IAM and
 * keeps the account) and domain `<url-id>.lambda-url.us-east-1.on.aws`. A `host` that is not a
 * lambda-url domain (a client calling through a proxy) only sets the Host header: a Function URL is
 * reached on its own domain, which requestContext.domainName always names.
 *
 * @example
 * ```ts
 * import { functionUrlEvent, lambdaContext } from '@lift/testing'
 *
 * const event = functionUrlEvent({ method: 'GET', path: '/health', query: { deep: '1' } })
 * // event.requestContext.accountId → 'anonymous' (auth type NONE)
 * // event.requestContext.domainName → 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws'
 * await handler(event, lambdaContext())
 * ```
 */
export function functionUrlEvent(init: FunctionUrlEventInit = {}): LambdaFunctionURLEvent {
  const defaultDomain = `${TEST_FUNCTION_URL_ID}.lambda-url.${TEST_REGION}.on.aws`
  const request = normalizeHttpInit(init, defaultDomain)
  const domainName = LAMBDA_URL_DOMAIN.test(request.host) ? request.host : defaultDomain
  return payloadV2Event(request, {
    accountId: init.authorizer ? TEST_ACCOUNT_ID : 'anonymous',
    apiId: domainName.split('.')[0]!,
    domainName,
    requestId: init.requestId ?? uuid(),
    routeKey: '$default',
    stage: '$default',
    pathParameters: undefined,
    stageVariables: undefined,
    authorizer: init.authorizer,
  })
}
