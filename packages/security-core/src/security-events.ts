import { type Channel, channel, subscribe, unsubscribe } from 'node:diagnostics_channel'

/**
 * The decision a security event reports: JWT authentication, authorization, a request signature, a rate
 * limit, or a health report.
 */
export type SecurityEventType = 'authn.jwt' | 'authz' | 'signature' | 'ratelimit' | 'health'

/** One allow/deny decision made by a Lift middleware. Never carries a token, key or secret. */
export interface SecurityEvent {
  type: SecurityEventType
  outcome: 'allow' | 'deny'
  /** Machine-readable reason, e.g. 'token-expired', 'role-missing', 'limit-exceeded'. */
  reason: string
  requestId?: string
  principalId?: string
  tenantId?: string
  /** Epoch milliseconds. */
  at: number
  detail?: Readonly<Record<string, unknown>>
}

/**
 * A subscriber of `lift:security` events (see `subscribeSecurityEvents`); it receives each event frozen.
 */
export type SecurityEventListener = (event: SecurityEvent) => void

/**
 * The `node:diagnostics_channel` name every security event is published on.
 */
export const SECURITY_EVENTS_CHANNEL = 'lift:security'

/** The `lift:security` diagnostics channel; any code in the process may subscribe to it. */
export const securityEvents: Channel = channel(SECURITY_EVENTS_CHANNEL)

/**
 * Publishes a security event. Pass a builder function on hot paths: without subscribers it is not called,
 * so the event is never built. Subscribers receive a frozen event.
 * @example
 * ```ts
 * import { publishSecurityEvent } from '@lift/security-core'
 *
 * publishSecurityEvent(() => ({ type: 'authz', outcome: 'deny', reason: 'not-owner', at: Date.now() }))
 * ```
 */
export function publishSecurityEvent(event: SecurityEvent | (() => SecurityEvent)): void {
  if (!securityEvents.hasSubscribers) return
  const built = typeof event === 'function' ? event() : event
  if (built.detail !== undefined) Object.freeze(built.detail)
  securityEvents.publish(Object.freeze(built))
}

/**
 * Subscribes to security events and returns the function that unsubscribes. A listener that throws
 * cannot break the request that published the event nor crash the process (diagnostics_channel would
 * rethrow it as an uncaught exception): the error becomes a process warning naming only its type.
 * @example
 * ```ts
 * import { subscribeSecurityEvents } from '@lift/security-core'
 *
 * const unsubscribe = subscribeSecurityEvents((event) => {
 *   if (event.outcome === 'deny') console.log(JSON.stringify(event))
 * })
 * ```
 */
export function subscribeSecurityEvents(listener: SecurityEventListener): () => void {
  if (typeof listener !== 'function') {
    throw new TypeError('subscribeSecurityEvents: listener must be a function')
  }
  const onMessage = (message: unknown): void => {
    try {
      listener(message as SecurityEvent)
    } catch (error) {
      process.emitWarning(
        `A ${SECURITY_EVENTS_CHANNEL} listener threw ${errorName(error)}; the event was skipped`,
        {
          code: 'LIFT_SECURITY_LISTENER_ERROR',
        },
      )
    }
  }
  subscribe(SECURITY_EVENTS_CHANNEL, onMessage)
  return () => {
    unsubscribe(SECURITY_EVENTS_CHANNEL, onMessage)
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error
}
