import type { APIGatewayProxyEvent } from 'aws-lambda'
import { clfTime, randomLowerAlnum, TEST_ACCOUNT_ID, TEST_REGION, uuid } from './aws-ids'
import {
  flattenFields,
  groupFields,
  type HttpEventInit,
  headersWithCookieField,
  lastOf,
  lastValue,
  multiValueFields,
  normalizeHttpInit,
} from './http-event-init'

/** REST-specific fields on top of the common HTTP init. */
export interface ApiGatewayV1EventInit extends HttpEventInit {
  /** The API resource, e.g. `/items/{id}` (default: the path part of `routeKey`, else `path`). */
  resource?: string
}

/** API id used in the generated execute-api domain names. */
export const TEST_API_ID = 'a1b2c3d4e5'

/**
 * An API Gateway REST API (payload 1.0) proxy event. Headers keep the case they were given in;
 * `headers`/`queryStringParameters` hold the last value of a repeated field and the `multiValue*`
 * maps hold all of them; query values are decoded; maps without entries are `null`, as AWS sends them.
 *
 * @example
 * ```ts
 * import { apiGatewayV1Event } from '@lift/testing'
 *
 * const event = apiGatewayV1Event({
 *   method: 'GET',
 *   routeKey: 'GET /orders/{id}',
 *   path: '/orders/42',
 *   pathParameters: { id: '42' },
 *   query: { expand: ['items', 'customer'] },
 * })
 * // event.resource → '/orders/{id}'; event.multiValueQueryStringParameters?.expand → ['items', 'customer']
 * ```
 */
export function apiGatewayV1Event(init: ApiGatewayV1EventInit = {}): APIGatewayProxyEvent {
  const request = normalizeHttpInit(init, `${TEST_API_ID}.execute-api.${TEST_REGION}.amazonaws.com`)
  const stage = init.stage ?? 'prod'
  const resource = init.resource ?? routeKeyPath(init.routeKey) ?? request.path
  const headers = groupFields(headersWithCookieField(request), false)
  const query = groupFields(request.query, false)
  const hasQuery = request.query.length > 0

  const requestContext: APIGatewayProxyEvent['requestContext'] = {
    accountId: TEST_ACCOUNT_ID,
    apiId: TEST_API_ID,
    domainName: request.host,
    domainPrefix: request.host.split('.')[0]!,
    extendedRequestId: `${randomLowerAlnum(14)}=`,
    httpMethod: request.method,
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: request.sourceIp,
      user: null,
      userAgent: lastValue(request.headers, 'user-agent') ?? null,
      userArn: null,
    },
    path: `/${stage}${request.path}`,
    protocol: 'HTTP/1.1',
    requestId: init.requestId ?? uuid(),
    requestTime: clfTime(request.timeEpoch),
    requestTimeEpoch: request.timeEpoch,
    resourceId: randomLowerAlnum(6),
    resourcePath: resource,
    stage,
    // Only present when an authorizer ran; the type insists on the key.
    authorizer: init.authorizer ? { ...init.authorizer } : undefined,
  }
  if (!init.authorizer) delete requestContext.authorizer

  return {
    resource,
    path: request.path,
    httpMethod: request.method,
    headers: flattenFields(headers, lastOf),
    multiValueHeaders: multiValueFields(headers),
    queryStringParameters: hasQuery ? flattenFields(query, lastOf) : null,
    multiValueQueryStringParameters: hasQuery ? multiValueFields(query) : null,
    pathParameters: init.pathParameters ? { ...init.pathParameters } : null,
    stageVariables: init.stageVariables ? { ...init.stageVariables } : null,
    requestContext,
    body: request.body ?? null,
    isBase64Encoded: request.isBase64Encoded,
  }
}

function routeKeyPath(routeKey: string | undefined): string | undefined {
  if (!routeKey) return undefined
  const space = routeKey.indexOf(' ')
  return space === -1 ? undefined : routeKey.slice(space + 1)
}
