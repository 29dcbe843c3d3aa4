/**
 * Middlewares that answer early (a `before` that returns a response: health checks, idempotency hits) skip
 * every `after` hook in Middy, so outer middlewares that flush logs, metrics or traces in `after` would never
 * see those requests. The convention, shared with Powertools for AWS Lambda: such middlewares register a
 * cleanup function in `request.internal` under a known key, and whoever answers early runs them first.
 */
export const EARLY_RESPONSE_CLEANUP_KEYS = Object.freeze([
  // Powertools' own keys (@aws-lambda-powertools/commons cleanupMiddlewares), so its middlewares flush too.
  'powertools-for-aws.tracer',
  'powertools-for-aws.metrics',
  'powertools-for-aws.logger',
  'powertools-for-aws.idempotency',
  'lift.observability',
] as const)

interface RequestWithInternal {
  internal?: Record<string, unknown>
  response?: unknown
}

/**
 * Sets `request.response` to the early response and runs the registered cleanup functions (in the order of
 * EARLY_RESPONSE_CLEANUP_KEYS); returns the response, to be returned from `before`. A cleanup that throws is
 * not allowed to turn a health answer into an error: its failure is swallowed (it logs on its own).
 * @example
 * ```ts
 * import { respondEarly } from '@lift/security-core'
 * import type { MiddlewareObj } from '@middy/core'
 * import type { APIGatewayProxyEventV2 } from 'aws-lambda'
 *
 * const answerPing = (): MiddlewareObj<APIGatewayProxyEventV2> => ({
 *   before: (request) =>
 *     request.event.rawPath === '/ping' ? respondEarly(request, { statusCode: 204, body: '' }) : undefined,
 * })
 * ```
 */
export async function respondEarly<T>(request: RequestWithInternal, response: T): Promise<T> {
  request.response = response
  const internal = request.internal
  if (internal !== undefined) {
    for (const key of EARLY_RESPONSE_CLEANUP_KEYS) {
      const cleanup = internal[key]
      if (typeof cleanup !== 'function') continue
      try {
        await cleanup(request)
      } catch {
        // A failing flush must not change the answer.
      }
    }
  }
  return response
}
