import { AsyncLocalStorage } from 'node:async_hooks'
import { securityEvents } from '@lift/security-core'
import type { AuditSink } from './audit'
import type { InvocationState } from './invocation'

/** What every copy of @lift/observability in one process shares (see `sharedState`). */
export interface SharedState {
  /** The invocation each asynchronous continuation belongs to, whichever copy started it. */
  readonly invocations: AsyncLocalStorage<InvocationState>
  /** The one `lift:security` subscription of the process. */
  unsubscribe: (() => void) | undefined
  /** Where events outside any invocation go: the most recent audit-enabled observability() instance. */
  containerSink: AuditSink | undefined
}

/** Bumped whenever SharedState or InvocationState changes shape: copies of other versions then keep their own. */
const SHARED_STATE = Symbol.for('@lift/observability/shared-state@1')

/**
 * State kept on the `lift:security` channel object, which node:diagnostics_channel hands to every caller in
 * the process. A process can hold several copies of this module: two bundles or two installed versions in
 * one function, and in Jest one per test file, whose earlier copies stay subscribed. With a subscription and
 * an invocation store per copy, every copy but the one running the invocation would see each event as
 * published outside any invocation and write a second, context-free audit record. Sharing them keeps one
 * record per decision, attributed to its invocation.
 */
export function sharedState(): SharedState {
  found ??= findOrCreate(securityEvents as unknown as Record<symbol, SharedState | undefined>)
  return found
}

/** This copy's handle on the shared state, found on first use (read on every log line and event). */
let found: SharedState | undefined

function findOrCreate(holder: Record<symbol, SharedState | undefined>): SharedState {
  const existing = holder[SHARED_STATE]
  if (existing !== undefined) return existing
  const created: SharedState = {
    invocations: new AsyncLocalStorage(),
    unsubscribe: undefined,
    containerSink: undefined,
  }
  holder[SHARED_STATE] = created
  return created
}
