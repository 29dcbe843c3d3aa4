import {
  type HttpRequestView,
  httpRequestView,
  isExecuteApiHost,
  isHttpEvent,
  respondEarly,
} from '@lift/security-core'
import type { MiddlewareObj } from '@middy/core'
import { publishHealthEvent } from './health-event'
import {
  type DetailsDecision,
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
  // The budget with which every check has its whole timeout: a run with less must not be cached for others.
  const fullBudgetMs = Math.min(resolved.reportTimeoutMs, Math.max(0, ...checks.map((c) => c.timeoutMs)))
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
      const path = withoutTrailingSlash(view.path)
      const kind = resolved.paths.get(path) ?? resolved.paths.get(afterStage(path, view, request.event))
      if (kind === undefined) return undefined

      const context = request.context as LambdaContextLike
      const head = view.method === 'HEAD'
      const facts = {
        source: 'request' as const,
        path: view.path,
        requestId: view.requestId ?? context.awsRequestId,
      }
      if (kind === 'live') {
        const access = await detailAccess(resolved, view)
        publishHealthEvent('pass', undefined, { ...facts, ...access, cached: false, at: now() })
        return respondEarly(
          request,
          healthResponse('pass', access.details ? liveBodies.details : liveBodies.anonymous, head),
        )
      }
      // Readiness never answers with details, so it never asks (nor records a denial).
      const access = kind === 'health' ? await detailAccess(resolved, view) : { details: false }
      const budgetMs = runBudget(resolved.reportTimeoutMs, resolved.safetyMarginMs, context)
      const { report, cached } = await reports(budgetMs, budgetMs >= fullBudgetMs)
      publishHealthEvent(report.status, report, { ...facts, ...access, cached, at: now() })
      return respondEarly(request, healthResponse(report.status, render(report, access.details), head))
    },
  }
}

export default healthCheck

interface DetailAccess {
  details: boolean
  /** The reason the policy denied the request with (a wrong credential), if it did. */
  denied?: string
}

const REASON = /^[a-z0-9][a-z0-9._-]{0,63}$/i

/**
 * Asks the details policy, with a `deny` of this request only. A policy that throws or rejects grants
 * nothing; one that denies grants nothing, whatever it returns.
 */
async function detailAccess(options: ResolvedHealthOptions, view: HttpRequestView): Promise<DetailAccess> {
  let denied: string | undefined
  const decision: DetailsDecision = Object.freeze({
    deny(reason: string) {
      denied ??= typeof reason === 'string' && REASON.test(reason) ? reason : 'details-denied'
    },
  })
  let granted: boolean
  try {
    const answer: unknown = options.details(view, decision)
    const pending = typeof (answer as PromiseLike<unknown> | null)?.then === 'function'
    granted =
      (pending ? await decidedWithin(answer as PromiseLike<unknown>, options.detailsTimeoutMs) : answer) ===
      true
  } catch {
    granted = false
  }
  return denied === undefined ? { details: granted } : { details: false, denied }
}

/** The policy's answer, or false when it has not come within `ms` (a secret store that never answers). */
async function decidedWithin(answer: PromiseLike<unknown>, ms: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const undecided = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms)
  })
  try {
    return await Promise.race([answer, undecided])
  } finally {
    clearTimeout(timer)
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

/**
 * The path after `/<stage>`: on its execute-api domain an HTTP API serves a named stage under `/<stage>` and
 * keeps that segment in rawPath (a REST API drops it from `path`; a custom domain's API mapping has none).
 */
function afterStage(path: string, view: HttpRequestView, event: unknown): string {
  if (view.source !== 'apigw-http') return path
  const stage = (event as { requestContext?: { stage?: unknown } }).requestContext?.stage
  if (typeof stage !== 'string' || stage === '$default' || !isExecuteApiHost(view.host)) return path
  if (path === `/${stage}`) return '/'
  return path.startsWith(`/${stage}/`) ? path.slice(stage.length + 1) : path
}
