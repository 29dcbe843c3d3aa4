import { describe, expect, it } from '@jest/globals'
import { createPrincipal } from '@lift/security-core'
import type { IssuerState } from '../src/issuers'
import { type CachedVerdict, createTokenCache } from '../src/token-cache'

const issuer = { keys: { generation: 1, fresh: true } } as unknown as IssuerState
const verdictFor = (id: string): CachedVerdict => ({
  principal: createPrincipal({ id, roles: [], scopes: [], authMethod: 'jwt', claims: {} }),
  issuer,
  generation: 1,
  validUntilMs: 60_000,
})

describe('createTokenCache', () => {
  const sharedTail = `.${'S'.repeat(40)}`
  const alice = `header.alice-payload${sharedTail}`
  const bob = `header.bob-payload${sharedTail}`

  it('never hands a verdict to another token that ends with the same characters (attack: key collision)', () => {
    const cache = createTokenCache(10, 60_000, () => 0)
    cache.set(alice, verdictFor('alice'), 0)
    expect(cache.get(bob, 0)).toBeUndefined()
    expect(cache.get(alice, 0)?.principal.id).toBe('alice')
  })

  it('lets tokens sharing a key replace each other', () => {
    const cache = createTokenCache(10, 60_000, () => 0)
    cache.set(alice, verdictFor('alice'), 0)
    cache.set(bob, verdictFor('bob'), 0)
    expect(cache.get(alice, 0)).toBeUndefined()
    expect(cache.get(bob, 0)?.principal.id).toBe('bob')
  })

  it('keeps short tokens apart by their whole text', () => {
    const cache = createTokenCache(10, 60_000, () => 0)
    cache.set('a.b.c', verdictFor('short'), 0)
    expect(cache.get('a.b.c', 0)?.principal.id).toBe('short')
    expect(cache.get('x.b.c', 0)).toBeUndefined()
  })

  it('drops a verdict at the end of its validity', () => {
    const cache = createTokenCache(10, 600_000, () => 0)
    cache.set(alice, verdictFor('alice'), 0)
    expect(cache.get(alice, 59_999)?.principal.id).toBe('alice')
    expect(cache.get(alice, 60_000)).toBeUndefined()
  })
})
