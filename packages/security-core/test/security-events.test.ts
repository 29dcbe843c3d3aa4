import diagnosticsChannel from 'node:diagnostics_channel'
import { afterEach, describe, expect, it, jest } from '@jest/globals'
import {
  publishSecurityEvent,
  SECURITY_EVENTS_CHANNEL,
  type SecurityEvent,
  securityEvents,
  subscribeSecurityEvents,
} from '../src/security-events'

function denyEvent(overrides: Partial<SecurityEvent> = {}): SecurityEvent {
  return {
    type: 'authn.jwt',
    outcome: 'deny',
    reason: 'token-expired',
    requestId: 'req-1',
    principalId: 'user-1',
    tenantId: 'tenant-a',
    at: 1_700_000_000_000,
    ...overrides,
  }
}

const unsubscribers: Array<() => void> = []
function subscribe(listener: (event: SecurityEvent) => void): () => void {
  const unsubscribe = subscribeSecurityEvents(listener)
  unsubscribers.push(unsubscribe)
  return unsubscribe
}

afterEach(() => {
  for (const unsubscribe of unsubscribers.splice(0)) unsubscribe()
  jest.restoreAllMocks()
})

function captureWarnings() {
  return jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
}

describe('security events channel', () => {
  it('is the node:diagnostics_channel channel named lift:security', () => {
    expect(SECURITY_EVENTS_CHANNEL).toBe('lift:security')
    expect(securityEvents.name).toBe('lift:security')
    expect(securityEvents).toBe(diagnosticsChannel.channel('lift:security'))
  })

  it('does not call the builder, nor publish, when nobody subscribes', () => {
    expect(securityEvents.hasSubscribers).toBe(false)
    const builder = jest.fn((): SecurityEvent => {
      throw new Error('the builder must not run without subscribers')
    })
    expect(() => publishSecurityEvent(builder)).not.toThrow()
    expect(builder).not.toHaveBeenCalled()
  })

  it('delivers an event object to a subscriber', () => {
    const received: SecurityEvent[] = []
    subscribe((event) => received.push(event))
    publishSecurityEvent(denyEvent())
    expect(received).toEqual([denyEvent()])
  })

  it('calls the builder exactly once per publish when there are subscribers', () => {
    const first: SecurityEvent[] = []
    const second: SecurityEvent[] = []
    subscribe((event) => first.push(event))
    subscribe((event) => second.push(event))
    const builder = jest.fn(() => denyEvent({ type: 'ratelimit', reason: 'limit-exceeded' }))
    publishSecurityEvent(builder)
    expect(builder).toHaveBeenCalledTimes(1)
    expect(first).toEqual([denyEvent({ type: 'ratelimit', reason: 'limit-exceeded' })])
    expect(second[0]).toBe(first[0])
  })

  it('hands out a frozen event, so one subscriber cannot alter what the next one (the audit log) sees', () => {
    const received: SecurityEvent[] = []
    subscribe((event) => {
      try {
        ;(event as { outcome: string }).outcome = 'allow'
      } catch {
        // strict-mode assignment to a frozen property throws; the event stays as published
      }
      received.push(event)
    })
    subscribe((event) => received.push(event))
    publishSecurityEvent(denyEvent({ detail: { limit: 'burst' } }))
    expect(received[1]?.outcome).toBe('deny')
    expect(Object.isFrozen(received[1])).toBe(true)
    expect(Object.isFrozen(received[1]?.detail)).toBe(true)
  })

  it('reaches subscribers registered directly on node:diagnostics_channel', () => {
    const received: unknown[] = []
    const listener = (message: unknown) => received.push(message)
    diagnosticsChannel.subscribe('lift:security', listener)
    try {
      publishSecurityEvent(() => denyEvent({ type: 'authz', outcome: 'allow', reason: 'role-matched' }))
    } finally {
      diagnosticsChannel.unsubscribe('lift:security', listener)
    }
    expect(received).toEqual([denyEvent({ type: 'authz', outcome: 'allow', reason: 'role-matched' })])
  })

  it('stops delivering after unsubscribe, and unsubscribing twice is harmless', () => {
    const received: SecurityEvent[] = []
    const unsubscribe = subscribe((event) => received.push(event))
    expect(securityEvents.hasSubscribers).toBe(true)
    unsubscribe()
    unsubscribe()
    expect(securityEvents.hasSubscribers).toBe(false)
    const builder = jest.fn(denyEvent)
    publishSecurityEvent(builder)
    expect(received).toEqual([])
    expect(builder).not.toHaveBeenCalled()
  })

  it('keeps other subscribers when one unsubscribes', () => {
    const kept: SecurityEvent[] = []
    const removed: SecurityEvent[] = []
    subscribe((event) => kept.push(event))
    const unsubscribe = subscribe((event) => removed.push(event))
    unsubscribe()
    publishSecurityEvent(denyEvent())
    expect(kept).toHaveLength(1)
    expect(removed).toHaveLength(0)
  })

  it('isolates a throwing listener: publish returns, later listeners still run, a warning names only the error type', () => {
    const received: SecurityEvent[] = []
    subscribe(() => {
      throw new TypeError('listener bug with secret sk_live_123')
    })
    subscribe((event) => received.push(event))
    const warnings = captureWarnings()

    expect(() => publishSecurityEvent(denyEvent())).not.toThrow()

    expect(received).toHaveLength(1)
    expect(warnings).toHaveBeenCalledTimes(1)
    expect(warnings).toHaveBeenCalledWith('A lift:security listener threw TypeError; the event was skipped', {
      code: 'LIFT_SECURITY_LISTENER_ERROR',
    })
    expect(JSON.stringify(warnings.mock.calls)).not.toContain('sk_live_123')
  })

  it('names the type of a thrown non-Error value', () => {
    subscribe(() => {
      throw 'plain string'
    })
    const warnings = captureWarnings()
    publishSecurityEvent(denyEvent())
    expect(warnings).toHaveBeenCalledWith('A lift:security listener threw string; the event was skipped', {
      code: 'LIFT_SECURITY_LISTENER_ERROR',
    })
  })

  it('rejects a listener that is not a function', () => {
    expect(() => subscribeSecurityEvents('nope' as never)).toThrow(
      'subscribeSecurityEvents: listener must be a function',
    )
  })
})
