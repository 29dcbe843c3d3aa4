import type { Logger } from '@aws-lambda-powertools/logger'
import { type InvocationState, invocationStore } from './invocation'

/**
 * What this binds to on a Powertools Logger. `createAndPopulateLogItem` is protected in its types; it is the
 * one place every log line (buffered or not, of any level) is built, so it is where the invocation's keys
 * are read.
 */
interface LoggerInternals {
  createAndPopulateLogItem(logLevel: number, input: unknown, extraInput: unknown[]): unknown
  addContext(context: unknown): void
  getColdStart(): boolean
  createChild(options?: unknown): Logger
}

export interface BoundLogger {
  /** Powertools' cold-start decision (once per container, on-demand only), taken once per invocation. */
  coldStart(): boolean
  /** Marks an invocation started; `end()` resets the logger's own temporary keys once none is in flight. */
  start(): void
  end(): void
}

const bindings = new WeakMap<object, BoundLogger>()

/**
 * Makes `logger` (and the children it makes) write each line with the keys and Lambda context of the
 * invocation the line is logged in, read from AsyncLocalStorage, instead of keys appended to the shared
 * logger, which concurrent invocations would overwrite and the first to finish would clear for all.
 * Powertools scopes its own state per invocation only on Lambda Managed Instances (AWS_LAMBDA_MAX_CONCURRENCY
 * and the runtime's InvokeStore); this holds everywhere, serveLocal and tests included. Idempotent.
 */
export function bindToInvocations(logger: Logger): BoundLogger {
  const existing = bindings.get(logger)
  if (existing !== undefined) return existing
  const internals = logger as unknown as LoggerInternals
  const createItem = internals.createAndPopulateLogItem
  const powertoolsColdStart = internals.getColdStart
  const createChild = internals.createChild
  let inFlight = 0
  internals.createAndPopulateLogItem = function (this: LoggerInternals, level, input, extraInput) {
    const state = current()
    if (state === undefined) return createItem.call(this, level, input, extraInput)
    // Synchronous from here to the built item: no other invocation can run in between.
    this.addContext(state.lambdaContext)
    return createItem.call(this, level, withKeys(state.logKeys, input), extraInput)
  }
  // addContext asks for the cold start: it is the invocation's, not a second (always false) decision.
  internals.getColdStart = function (this: LoggerInternals) {
    const state = current()
    return state === undefined ? powertoolsColdStart.call(this) : state.coldStart
  }
  internals.createChild = function (this: LoggerInternals, options) {
    const child = createChild.call(this, options)
    bindToInvocations(child)
    return child
  }
  const binding: BoundLogger = {
    coldStart: () => powertoolsColdStart.call(internals),
    start: () => {
      inFlight += 1
    },
    end: () => {
      inFlight = Math.max(0, inFlight - 1)
      if (inFlight === 0) logger.resetKeys()
    },
  }
  bindings.set(logger, binding)
  return binding
}

function current(): InvocationState | undefined {
  const state = invocationStore().getStore()
  return state === undefined || state.ended ? undefined : state
}

/** The invocation's keys under the line's own: what the caller passes for a key wins. */
function withKeys(keys: Readonly<Record<string, string>>, input: unknown): unknown {
  if (typeof input === 'string') return { message: input, ...keys }
  if (typeof input === 'object' && input !== null) return { ...keys, ...input }
  return input
}
