// The payload 2.0 shape shared by API Gateway HTTP APIs and Lambda Function URLs.
import type { APIGatewayProxyEventV2 } from 'aws-lambda'
import { clfTime } from './aws-ids'
import {
  encodeQuery,
  flattenFields,
  groupFields,
  lastValue,
  type NormalizedHttpRequest,
  splitCookieHeader,
} from './http-event-init'

/**
 * The path as an HTTP API hands it over in rawPath and requestContext.http.path: percent-decoded (a request for
 * `/a%2Fb%20c` arrives as `/a/b c`), unlike REST APIs, Function URLs and ALB, which keep the encoding.
 * Malformed percent-encoding is kept as sent.
 */
export function httpApiPath(wirePath: string): string {
  try {
    return decodeURIComponent(wirePath)
  } catch {
    return wirePath
  }
}

/** What differs between an HTTP API event and a Function URL event. */
export interface PayloadV2Context {
  readonly accountId: string
  readonly apiId: string
  readonly domainName: string
  readonly requestId: string
  readonly routeKey: string
  readonly stage: string
  readonly pathParameters: Readonly<Record<string, string>> | undefined
  readonly stageVariables: Readonly<Record<string, string>> | undefined
  readonly authorizer: Readonly<Record<string, unknown>> | undefined
}

/**
 * Builds a payload 2.0 event: lower-case header names, repeated fields joined with ',', cookies only in
 * the `cookies` array (never a cookie header), repeated query values joined with ',', and optional
 * maps left out when empty, as AWS sends them.
 */
export function payloadV2Event(
  request: NormalizedHttpRequest,
  context: PayloadV2Context,
): APIGatewayProxyEventV2 {
  const grouped = groupFields(request.headers, true)
  const cookies = [...splitCookieHeader(grouped.get('cookie') ?? []), ...request.cookies]
  grouped.delete('cookie')
  const queryGroups = groupFields(request.query, false)

  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: context.routeKey,
    rawPath: request.path,
    rawQueryString: encodeQuery(request.query),
    headers: flattenFields(grouped, (values) => values.join(',')),
    requestContext: {
      accountId: context.accountId,
      apiId: context.apiId,
      domainName: context.domainName,
      domainPrefix: context.domainName.split('.')[0]!,
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp,
        userAgent: lastValue(request.headers, 'user-agent') ?? '',
      },
      requestId: context.requestId,
      routeKey: context.routeKey,
      stage: context.stage,
      time: clfTime(request.timeEpoch),
      timeEpoch: request.timeEpoch,
    },
    isBase64Encoded: request.isBase64Encoded,
  }
  if (cookies.length > 0) event.cookies = cookies
  if (request.query.length > 0)
    event.queryStringParameters = flattenFields(queryGroups, (values) => values.join(','))
  if (request.body !== undefined) event.body = request.body
  if (context.pathParameters) event.pathParameters = { ...context.pathParameters }
  if (context.stageVariables) event.stageVariables = { ...context.stageVariables }
  if (context.authorizer) Object.assign(event.requestContext, { authorizer: { ...context.authorizer } })
  return event
}
