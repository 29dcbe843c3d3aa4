import { type HttpRequestView, httpRequestView, isHttpEvent, respondEarly } from '@lift/security-core'
import type { MiddlewareObj } from '@middy/core'
import { publishHealthEvent } from './health-event'
import {
  type HealthCheckOptions,
  type ResolvedHealthOptions,
  resolveHealthOptions,
  withoutTrailingSlash,
} from './health-options'
import type { HealthReport } from './health-report'
import { type HealthResponse, healthResponse } from './health-response'
import { cachedReports } from './report-cache'
import { type AnonymousLevel, reportView } from './report-views'
import { runBudget, runChecks } from './run-checks'

interface LambdaContextLike {
  awsRequestId?: string
  getRemainingTimeInMillis?: () => number
}

/**
 * Middy middleware that answers the health paths (GET and HEAD) by early return, before authentication,
 * with an `application/health+json` report; every other request passes through untouched. Before answering
 * it runs the cleanups that outer middlewares registered (Lift observability, Powertools' logger, metrics
 * and tracer), since Middy skips every `after` hook on an early return.
 * @example
 * ```ts
 * import { cognito, jwtAuth } from '@lift/auth-jwt'
 * import { healthCheck, memoryCheck } from '@lift/health'
 * import middy from '@middy/core'
 *
 * const issuers = [cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' })]
 * export const main = middy()
 *   .use(healthCheck({ serviceId: 'orders-api', checks: [memoryCheck()] }))
 *   .use(jwtAuth({ issuers }))
 *   .handler(async () => ({ statusCode: 200, body: 'ok' }))
 * ```
 */
export function healthCheck(options: HealthCheckOptions = {}): MiddlewareObj {
  const resolved = resolveHealthOptions(options)
  const { now, service, checks } = resolved
  const reports = cachedReports(
    (budgetMs) => runChecks(checks, budgetMs, now, service),
    resolved.cacheTtlMs,
    now,
  )
  const render = bodyRenderer(resolved.anonymous)
  const liveBodies = {
    anonymous: JSON.stringify({ status: 'pass' }),
    details: JSON.stringify({ status: 'pass', ...service }),
  }

  return {
    name: 'healthCheck',
    before: async (request): Promise<HealthResponse | undefined> => {
      if (!isHttpEvent(request.event)) return undefined
      const view = httpRequestView(request.event)
      if (view.method !== 'GET' && view.method !== 'HEAD') return undefined
      const kind = resolved.paths.get(withoutTrailingSlash(view.path))
      if (kind === undefined) return undefined

      const context = request.context as LambdaContextLike
      const head = view.method === 'HEAD'
      const facts = {
        source: 'request' as const,
        path: view.path,
        requestId: view.requestId ?? context.awsRequestId,
      }
      if (kind === 'live') {
        const details = await allowsDetails(resolved, view)
        publishHealthEvent('pass', undefined, { ...facts, cached: false, details, at: now() })
        return respondEarly(
          request,
          healthResponse('pass', details ? liveBodies.details : liveBodies.anonymous, head),
        )
      }
      const details = kind === 'health' && (await allowsDetails(resolved, view))
      const { report, cached } = await reports(
        runBudget(resolved.reportTimeoutMs, resolved.safetyMarginMs, context),
      )
      publishHealthEvent(report.status, report, { ...facts, cached, details, at: now() })
      return respondEarly(request, healthResponse(report.status, render(report, details), head))
    },
  }
}

export default healthCheck

/** A details policy that throws or rejects grants nothing. */
async function allowsDetails(options: ResolvedHealthOptions, view: HttpRequestView): Promise<boolean> {
  try {
    return (await options.details(view)) === true
  } catch {
    return false
  }
}

/** JSON bodies per report and level, rendered once per (cached) report. */
function bodyRenderer(level: AnonymousLevel): (report: HealthReport, details: boolean) => string {
  const rendered = new WeakMap<HealthReport, { anonymous?: string; details?: string }>()
  return (report, details) => {
    let bodies = rendered.get(report)
    if (bodies === undefined) {
      bodies = {}
      rendered.set(report, bodies)
    }
    const slot = details ? 'details' : 'anonymous'
    bodies[slot] ??= JSON.stringify(reportView(report, details, level))
    return bodies[slot]
  }
}
