// Lambda authorizer events (REST TOKEN and REQUEST, HTTP API payload 2.0) and the `requestContext.authorizer`
// values API Gateway hands to the function behind an authorizer, shaped like AWS's documented samples.
import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda'
import { type ApiGatewayV1EventInit, apiGatewayV1Event, TEST_API_ID } from './api-gateway-v1-event'
import { apiGatewayV2Event } from './api-gateway-v2-event'
import { TEST_ACCOUNT_ID, TEST_REGION } from './aws-ids'
import type { HttpEventInit } from './http-event-init'

/** The ARN API Gateway names a method by: `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`. */
function executeApiArn(stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${TEST_REGION}:${TEST_ACCOUNT_ID}:${TEST_API_ID}/${stage}/${method.toUpperCase()}${path}`
}

/**
 * What a REST TOKEN authorizer event is made of.
 *
 * @example
 * ```ts
 * import { type RestTokenAuthorizerEventInit, restTokenAuthorizerEvent } from '@lift/testing'
 *
 * const init: RestTokenAuthorizerEventInit = { authorizationToken: 'Bearer eyJ…', stage: 'dev' }
 * restTokenAuthorizerEvent(init)
 * ```
 */
export interface RestTokenAuthorizerEventInit {
  /** The token source header's value as the client sent it, e.g. `Bearer eyJ…`. */
  readonly authorizationToken: string
  /** Default `GET`. */
  readonly method?: string
  /** Default `/`. */
  readonly path?: string
  /** Default `prod`. */
  readonly stage?: string
}

/**
 * A REST API TOKEN authorizer event: `{ type: 'TOKEN', authorizationToken, methodArn }`, nothing else, as
 * API Gateway sends it.
 *
 * @example
 * ```ts
 * import { restTokenAuthorizerEvent } from '@lift/testing'
 *
 * const event = restTokenAuthorizerEvent({ authorizationToken: 'Bearer eyJhbGciOi…', method: 'POST', path: '/orders' })
 * // event.methodArn === 'arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/POST/orders'
 * ```
 */
export function restTokenAuthorizerEvent(init: RestTokenAuthorizerEventInit): APIGatewayTokenAuthorizerEvent {
  return {
    type: 'TOKEN',
    authorizationToken: init.authorizationToken,
    methodArn: executeApiArn(init.stage ?? 'prod', init.method ?? 'GET', init.path ?? '/'),
  }
}

/**
 * A REST API REQUEST authorizer event: the REST proxy event's request fields (headers and their
 * multi-value maps, query, path parameters, stage variables, requestContext) plus `type: 'REQUEST'` and
 * `methodArn`, and no body, as API Gateway sends it.
 *
 * @example
 * ```ts
 * import { restRequestAuthorizerEvent } from '@lift/testing'
 *
 * const event = restRequestAuthorizerEvent({ path: '/orders/42', headers: { Authorization: 'Bearer eyJ…' } })
 * // event.type === 'REQUEST'; event.methodArn ends with '/prod/GET/orders/42'
 * ```
 */
export function restRequestAuthorizerEvent(
  init: ApiGatewayV1EventInit = {},
): APIGatewayRequestAuthorizerEvent {
  const { body: _body, isBase64Encoded: _encoded, ...request } = apiGatewayV1Event(init)
  return {
    type: 'REQUEST',
    methodArn: executeApiArn(request.requestContext.stage, request.httpMethod, request.path),
    ...request,
  } as APIGatewayRequestAuthorizerEvent
}

/**
 * HTTP API authorizer specifics on top of the common HTTP init.
 *
 * @example
 * ```ts
 * import { type HttpApiAuthorizerEventInit, httpApiAuthorizerEvent } from '@lift/testing'
 *
 * const init: HttpApiAuthorizerEventInit = { headers: { 'x-api-key': 'k' }, identitySource: ['k'] }
 * httpApiAuthorizerEvent(init)
 * ```
 */
export interface HttpApiAuthorizerEventInit extends HttpEventInit {
  /** The identity source values (default: the Authorization header's value, when sent). */
  readonly identitySource?: readonly string[]
}

/**
 * An HTTP API Lambda authorizer event, payload format 2.0: the payload 2.0 request fields plus
 * `type: 'REQUEST'`, `routeArn` and `identitySource`, and no body, as API Gateway sends it.
 *
 * @example
 * ```ts
 * import { httpApiAuthorizerEvent } from '@lift/testing'
 *
 * const event = httpApiAuthorizerEvent({ headers: { authorization: 'Bearer eyJ…' }, routeKey: 'GET /orders' })
 * // event.identitySource: ['Bearer eyJ…']; event.routeArn ends with '/$default/GET/'
 * ```
 */
export function httpApiAuthorizerEvent(
  init: HttpApiAuthorizerEventInit = {},
): APIGatewayRequestAuthorizerEventV2 {
  const { body: _body, isBase64Encoded: _encoded, version, ...request } = apiGatewayV2Event(init)
  const authorization = Object.entries(request.headers).find(([name]) => name === 'authorization')?.[1]
  return {
    version,
    type: 'REQUEST',
    // The route ARN names the stage once, then the path after it.
    routeArn: executeApiArn(
      request.requestContext.stage,
      request.requestContext.http.method,
      init.path ?? '/',
    ),
    identitySource: [...(init.identitySource ?? (authorization === undefined ? [] : [authorization]))],
    ...request,
  } as APIGatewayRequestAuthorizerEventV2
}

/**
 * `requestContext.authorizer` of an HTTP API route behind a JWT authorizer, for apiGatewayV2Event's
 * `authorizer` init: `{ jwt: { claims, scopes } }`, every claim value a string as API Gateway renders it
 * (a number as its decimal text, an array as `[a b c]`, an object as JSON text).
 *
 * @example
 * ```ts
 * import { apiGatewayV2Event, httpApiJwtAuthorizer } from '@lift/testing'
 *
 * const event = apiGatewayV2Event({
 *   authorizer: httpApiJwtAuthorizer({ iss: 'https://issuer.example/', sub: 'u1', exp: 1900000000, 'cognito:groups': ['admin'] }),
 * })
 * // event.requestContext.authorizer.jwt.claims['cognito:groups'] === '[admin]'
 * ```
 */
export function httpApiJwtAuthorizer(
  claims: Readonly<Record<string, unknown>>,
  scopes: readonly string[] | null = null,
): { jwt: { claims: Record<string, string>; scopes: string[] | null } } {
  const rendered: Record<string, string> = {}
  for (const [name, value] of Object.entries(claims)) {
    if (value === undefined) continue
    rendered[name] = Array.isArray(value)
      ? `[${value.join(' ')}]`
      : typeof value === 'object' && value !== null
        ? JSON.stringify(value)
        : String(value)
  }
  return { jwt: { claims: rendered, scopes: scopes === null ? null : [...scopes] } }
}

/**
 * `requestContext.authorizer` of an HTTP API route behind a Lambda authorizer (simple or IAM responses):
 * `{ lambda: context }`, the context the authorizer returned, values as they were.
 *
 * @example
 * ```ts
 * import { apiGatewayV2Event, httpApiLambdaAuthorizer } from '@lift/testing'
 *
 * const event = apiGatewayV2Event({ authorizer: httpApiLambdaAuthorizer({ sub: 'u1', tier: 'gold' }) })
 * ```
 */
export function httpApiLambdaAuthorizer(context: Readonly<Record<string, string | number | boolean>>): {
  lambda: Record<string, string | number | boolean>
} {
  return { lambda: { ...context } }
}

/**
 * `requestContext.authorizer` of a REST API method behind a Lambda authorizer, for apiGatewayV1Event's
 * `authorizer` init: the context with every value stringified, plus `principalId` and `integrationLatency`,
 * as API Gateway passes it to a proxy integration.
 *
 * @example
 * ```ts
 * import { apiGatewayV1Event, restLambdaAuthorizer } from '@lift/testing'
 *
 * const event = apiGatewayV1Event({ authorizer: restLambdaAuthorizer('u1', { tier: 'gold', level: 3 }) })
 * // event.requestContext.authorizer.level === '3'
 * ```
 */
export function restLambdaAuthorizer(
  principalId: string,
  context: Readonly<Record<string, string | number | boolean>> = {},
): Record<string, string | number> {
  const rendered: Record<string, string | number> = {}
  for (const [name, value] of Object.entries(context)) rendered[name] = String(value)
  return { ...rendered, principalId, integrationLatency: 0 }
}
