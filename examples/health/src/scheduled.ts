import { type HealthReport, runHealthChecks } from '@lift/health'
import type { Context, ScheduledEvent } from 'aws-lambda'
import { type DependencyOptions, dependencyChecks } from './checks'
import { deployedDependencies } from './config'

export interface ScheduledOptions extends DependencyOptions {
  version: string
  /** Where the one summary line goes. Default console.log (CloudWatch Logs in Lambda). */
  log?: (line: string) => void
}

export type ScheduledHandler = (event: ScheduledEvent, context: Context) => Promise<HealthReport>

/**
 * The scheduled health run (an EventBridge rule every 5 minutes): runs every check, uncached, logs one JSON
 * line with the status and the failing checks, and returns the full report. runHealthChecks also publishes
 * a `health` event on lift:security for whoever subscribes (e.g. @lift/observability's metrics).
 */
export function createScheduled(options: ScheduledOptions): ScheduledHandler {
  const checks = dependencyChecks(options)
  const log = options.log ?? ((line: string) => console.log(line))
  return async (_event, context) => {
    const report = await runHealthChecks(checks, {
      context,
      serviceId: 'lift-health-example',
      version: options.version,
    })
    const failing = Object.entries(report.checks)
      .filter(([, entries]) => entries.some((entry) => entry.status !== 'pass'))
      .map(([key]) => key)
    log(JSON.stringify({ message: 'health', status: report.status, failing }))
    return report
  }
}

/** The scheduled run configured from its environment (the same variables as the API). */
export function scheduledFromEnv(env: Readonly<Record<string, string | undefined>>): ScheduledHandler {
  return createScheduled(deployedDependencies(env))
}

let deployed: ScheduledHandler | undefined

/** The Lambda entry point for the schedule rule: configured on the first invocation. */
export const handler: ScheduledHandler = (event, context) => {
  deployed ??= scheduledFromEnv(process.env)
  return deployed(event, context)
}
