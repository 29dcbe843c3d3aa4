// Its own file: Jest gives it a fresh module registry, so the first rule set resolved here takes the first id.
import { describe, expect, it } from '@jest/globals'
import { memoryStore, type RateLimitRule, type RateLimitStore } from '../src/index'
import { limitedHandler, run } from './support/harness'
import { rule, T0 } from './support/rules'

/** memoryStore's counting as a store that is not `local`, so that the block cache applies as for DynamoDB. */
function remoteLikeStore(): RateLimitStore {
  const store = memoryStore()
  return { consume: (request) => store.consume(request) }
}

describe('rule set ids (the block cache key) under a limits function inventing rule sets', () => {
  it('a key blocked under one rule set is never refused from that block under another rule set', async () => {
    let plan: RateLimitRule[] = [rule('strict', 1, 60, 'fixed-window')]
    const handler = limitedHandler({
      // A fresh array per request, as a function building rules from a tenant's plan does.
      limits: () => plan.map((r) => ({ ...r })),
      key: 'ip',
      store: remoteLikeStore(),
      now: () => T0,
      logger: () => {},
    })
    // The strict rule set is the first this module resolves; the client is blocked for its whole window.
    expect((await run(handler)).statusCode).toBe(200)
    const refused = await run(handler)
    expect(refused.statusCode).toBe(429)
    expect((await run(handler)).events.map((event) => event.reason)).toEqual(['blocked-cached'])
    // Then the client's plan changes with every request (a rule set per tenant or per request): more rule sets
    // than the table of known ones holds (10 000). Each is counted on its own, never refused from the old block.
    const reasons = new Set<string>()
    for (let i = 0; i < 10_050; i++) {
      plan = [rule(`plan-${i}`, 100, 60, 'fixed-window')]
      const outcome = await run(handler)
      for (const event of outcome.events) reasons.add(event.reason)
      if (outcome.statusCode !== 200) throw new Error(`plan-${i}: ${outcome.statusCode} ${[...reasons]}`)
    }
    expect([...reasons]).toEqual(['within-limit'])
  })
})
