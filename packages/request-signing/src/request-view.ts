import type { HttpRequestView } from '@lift/security-core'
import type { SignableRequest } from './message'

/** The verifier's SignableRequest over Lift's normalized view of the Lambda event. */
export function signableFromView(
  view: HttpRequestView,
  origin: { scheme: string; authority: string } | undefined,
): SignableRequest {
  return {
    method: view.method,
    scheme: origin?.scheme ?? firstValue(view.header('x-forwarded-proto'))?.toLowerCase() ?? 'https',
    authority: origin?.authority ?? view.host ?? '',
    path: view.path,
    query: view.rawQuery,
    fieldValues: (name) => {
      const value = view.header(name)
      return value === undefined ? undefined : [value]
    },
  }
}

function firstValue(header: string | undefined): string | undefined {
  const first = header?.split(',')[0]?.trim()
  return first === '' ? undefined : first
}
