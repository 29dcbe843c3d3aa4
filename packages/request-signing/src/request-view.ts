import { type HttpRequestView, isExecuteApiHost } from '@lift/security-core'
import type { SignableRequest } from './message'

/** The verifier's SignableRequest over Lift's normalized view of the Lambda event. */
export function signableFromView(
  view: HttpRequestView,
  origin: { scheme: string; authority: string } | undefined,
  event?: unknown,
): SignableRequest {
  return {
    method: view.method,
    scheme: origin?.scheme ?? firstValue(view.header('x-forwarded-proto'))?.toLowerCase() ?? 'https',
    authority: origin?.authority ?? view.host ?? '',
    path: wirePath(view, event),
    query: view.rawQuery,
    fieldValues: (name) => {
      const value = view.header(name)
      return value === undefined ? undefined : [value]
    },
  }
}

/**
 * The path the client sent. On a REST API's execute-api endpoint the URL starts with the stage, which
 * API Gateway drops from the event's `path` (requestContext.path keeps it); custom domains pass the path as
 * sent, base path included. HTTP API events keep the stage in rawPath.
 */
function wirePath(view: HttpRequestView, event: unknown): string {
  if (view.source !== 'apigw-rest' || !isExecuteApiHost(view.host)) return view.path
  const stage = (event as { requestContext?: { stage?: unknown } } | undefined)?.requestContext?.stage
  return typeof stage === 'string' && /^[A-Za-z0-9_-]+$/.test(stage) ? `/${stage}${view.path}` : view.path
}

function firstValue(header: string | undefined): string | undefined {
  const first = header?.split(',')[0]?.trim()
  return first === '' ? undefined : first
}
