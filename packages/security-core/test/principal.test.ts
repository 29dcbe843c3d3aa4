import { describe, expect, it } from '@jest/globals'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { isLiftHttpError, type LiftHttpError } from '../src/errors'
import {
  createPrincipal,
  getPrincipal,
  type LiftContext,
  MAX_CLAIM_DEPTH,
  type Principal,
  requirePrincipal,
  setPrincipal,
} from '../src/principal'

function principalInit(overrides: Partial<Principal> = {}): Principal {
  return {
    id: 'user-1',
    tenantId: 'tenant-a',
    roles: ['admin', 'reader'],
    scopes: ['orders:read'],
    authMethod: 'jwt',
    claims: { sub: 'user-1', nested: { groups: ['g1'] }, list: [{ a: 1 }] },
    expiresAt: 1_900_000_000,
    ...overrides,
  }
}

describe('createPrincipal', () => {
  it('copies every field', () => {
    const principal = createPrincipal(principalInit())
    expect(principal).toEqual(principalInit())
  })

  it('leaves out optional fields that are absent', () => {
    const principal = createPrincipal({
      id: 'svc',
      roles: [],
      scopes: [],
      authMethod: 'signature',
      claims: {},
    })
    expect(Object.keys(principal).sort()).toEqual(['authMethod', 'claims', 'id', 'roles', 'scopes'])
  })

  it('is deeply frozen', () => {
    const principal = createPrincipal(principalInit())
    expect(Object.isFrozen(principal)).toBe(true)
    expect(Object.isFrozen(principal.roles)).toBe(true)
    expect(Object.isFrozen(principal.scopes)).toBe(true)
    expect(Object.isFrozen(principal.claims)).toBe(true)
    expect(Object.isFrozen(principal.claims.nested)).toBe(true)
    expect(Object.isFrozen((principal.claims.nested as { groups: string[] }).groups)).toBe(true)
    expect(Object.isFrozen((principal.claims.list as object[])[0])).toBe(true)
  })

  it('cannot be changed through its own references (attack: privilege escalation by mutation)', () => {
    const principal = createPrincipal(principalInit())
    expect(() => {
      ;(principal.roles as string[]).push('superuser')
    }).toThrow(TypeError)
    expect(() => {
      ;(principal as { id: string }).id = 'someone-else'
    }).toThrow(TypeError)
    expect(() => {
      ;(principal.claims as Record<string, unknown>).sub = 'someone-else'
    }).toThrow(TypeError)
    expect(() => {
      ;(principal.claims.nested as { groups: string[] }).groups.push('root')
    }).toThrow(TypeError)
    expect(principal.roles).toEqual(['admin', 'reader'])
    expect(principal.claims.sub).toBe('user-1')
  })

  it('is not changed by mutating the input object afterwards (attack: aliasing)', () => {
    const init = principalInit() as {
      -readonly [K in keyof Principal]: Principal[K]
    } & { roles: string[]; scopes: string[]; claims: Record<string, unknown> }
    const principal = createPrincipal(init)

    init.id = 'mallory'
    init.roles.push('superuser')
    init.scopes.push('admin:*')
    init.claims.sub = 'mallory'
    ;(init.claims.nested as { groups: string[] }).groups.push('root')
    ;(init.claims.list as Array<{ a: number }>)[0]!.a = 2
    init.tenantId = 'tenant-b'

    expect(principal).toEqual(principalInit())
  })

  it('makes copies even from an already frozen input', () => {
    const roles = ['a']
    const principal = createPrincipal(principalInit({ roles }))
    expect(principal.roles).not.toBe(roles)
  })

  it('copies a claim named __proto__ as plain data without touching the prototype (attack: prototype pollution)', () => {
    const claims = JSON.parse('{"__proto__": {"isAdmin": true}, "sub": "x"}') as Record<string, unknown>
    const principal = createPrincipal(principalInit({ claims }))
    expect(Object.getPrototypeOf(principal.claims)).toBe(Object.prototype)
    expect((principal.claims as { isAdmin?: unknown }).isAdmin).toBeUndefined()
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined()
    expect(Object.hasOwn(principal.claims, '__proto__')).toBe(true)
  })

  it('accepts claims with a null prototype and JSON-like values', () => {
    const claims = Object.assign(Object.create(null) as Record<string, unknown>, {
      s: 'x',
      n: 1,
      b: false,
      z: null,
      u: undefined,
    })
    const principal = createPrincipal(principalInit({ claims }))
    expect({ ...principal.claims }).toEqual({ s: 'x', n: 1, b: false, z: null, u: undefined })
  })

  it('accepts the same object twice in claims when it is not circular', () => {
    const shared = { k: 1 }
    const principal = createPrincipal(principalInit({ claims: { a: shared, b: shared } }))
    expect(principal.claims).toEqual({ a: { k: 1 }, b: { k: 1 } })
  })

  it.each([
    ['init', null, 'createPrincipal: init must be an object'],
    ['id', { id: '' }, 'createPrincipal: id must be a non-empty string'],
    ['id type', { id: 42 }, 'createPrincipal: id must be a non-empty string'],
    ['tenantId', { tenantId: '' }, 'createPrincipal: tenantId must be a non-empty string when present'],
    ['tenantId type', { tenantId: 7 }, 'createPrincipal: tenantId must be a non-empty string when present'],
    ['roles', { roles: 'admin' }, 'createPrincipal: roles must be an array of strings'],
    ['roles items', { roles: ['a', 1] }, 'createPrincipal: roles must be an array of strings'],
    // every() skips holes: [, 'admin'] would become roles [undefined, 'admin'].
    // biome-ignore lint/suspicious/noSparseArray: the attack
    ['roles with a hole', { roles: [, 'admin'] }, 'createPrincipal: roles must be an array of strings'],
    ['scopes with a hole', { scopes: new Array(2) }, 'createPrincipal: scopes must be an array of strings'],
    ['scopes', { scopes: undefined }, 'createPrincipal: scopes must be an array of strings'],
    ['authMethod', { authMethod: '' }, 'createPrincipal: authMethod must be a non-empty string'],
    ['claims', { claims: [] }, 'createPrincipal: claims must be a plain object'],
    ['claims null', { claims: null }, 'createPrincipal: claims must be a plain object'],
    ['expiresAt', { expiresAt: Number.NaN }, 'createPrincipal: expiresAt must be a finite number'],
    ['expiresAt type', { expiresAt: '1' }, 'createPrincipal: expiresAt must be a finite number'],
  ])('rejects an invalid %s with a clear message', (_label, override, message) => {
    const init = override === null ? null : { ...principalInit(), ...override }
    expect(() => createPrincipal(init as unknown as Principal)).toThrow(message)
  })

  it.each([
    ['a function', { f: () => 1 }, 'claims.f must hold JSON-like values only (found a function)'],
    ['a symbol', { list: [Symbol('s')] }, 'claims.list[0] must hold JSON-like values only (found a symbol)'],
    ['a bigint', { n: 1n }, 'claims.n must hold JSON-like values only (found a bigint)'],
    ['a Date', { d: new Date(0) }, 'claims.d must hold JSON-like values only (found a Date)'],
    [
      'an object without constructor',
      { o: Object.create(Object.create(null)) },
      'claims.o must hold JSON-like values only (found a object)',
    ],
  ])('rejects a claim holding %s', (_label, claims, message) => {
    expect(() => createPrincipal(principalInit({ claims }))).toThrow(message)
  })

  it(`rejects claims nested deeper than ${MAX_CLAIM_DEPTH} levels, and accepts exactly that depth`, () => {
    const nested = (depth: number) => {
      let value: unknown = 'leaf'
      for (let level = 0; level < depth; level++) value = [value]
      return value
    }
    expect(() =>
      createPrincipal(principalInit({ claims: { deep: nested(MAX_CLAIM_DEPTH - 1) } })),
    ).not.toThrow()
    expect(() => createPrincipal(principalInit({ claims: { deep: nested(MAX_CLAIM_DEPTH) } }))).toThrow(
      `is nested deeper than ${MAX_CLAIM_DEPTH} levels`,
    )
  })

  it('rejects circular claims instead of overflowing the stack', () => {
    const claims: Record<string, unknown> = { a: {} }
    ;(claims.a as Record<string, unknown>).back = claims
    expect(() => createPrincipal(principalInit({ claims }))).toThrow(
      'createPrincipal: claims.a.back must not be circular',
    )
  })
})

describe('setPrincipal / getPrincipal', () => {
  it('stores the principal on request.context.principal', () => {
    const request = { context: {} }
    const principal = createPrincipal(principalInit())
    setPrincipal(request, principal)
    expect((request.context as LiftContext).principal).toBe(principal)
    expect(getPrincipal(request)).toBe(principal)
  })

  it('stores a frozen copy when given a principal that createPrincipal did not make', () => {
    const request = { context: {} }
    const init = principalInit() as Principal & { roles: string[] }
    setPrincipal(request, init)
    const stored = getPrincipal(request)!
    expect(stored).not.toBe(init)
    expect(stored).toEqual(principalInit())
    expect(Object.isFrozen(stored.roles)).toBe(true)
    init.roles.push('superuser')
    expect(stored.roles).toEqual(['admin', 'reader'])
  })

  it('re-freezes a spread copy of a created principal instead of trusting it (attack: adding a role)', () => {
    const request = { context: {} }
    const principal = createPrincipal(principalInit())
    const escalated = { ...principal, roles: [...principal.roles, 'superuser'] }
    setPrincipal(request, escalated)
    const stored = getPrincipal(request)!
    expect(stored).not.toBe(escalated)
    expect(Object.isFrozen(stored.roles)).toBe(true)
    expect(() => (escalated.roles as string[]).push('root')).not.toThrow()
    expect(stored.roles).toEqual(['admin', 'reader', 'superuser'])
  })

  it('adds nothing visible to a created principal (no brand in its keys or JSON)', () => {
    const principal = createPrincipal(principalInit())
    expect(Reflect.ownKeys(principal).every((key) => typeof key === 'string')).toBe(true)
    expect(JSON.parse(JSON.stringify(principal))).toEqual(principalInit())
  })

  it('returns undefined when no principal is set, or the context holds something else', () => {
    expect(getPrincipal({ context: {} })).toBeUndefined()
    expect(getPrincipal({ context: { principal: null } })).toBeUndefined()
    expect(getPrincipal({ context: { principal: 'user-1' } })).toBeUndefined()
    expect(getPrincipal({} as unknown as { context: object })).toBeUndefined()
    expect(getPrincipal(undefined as unknown as { context: object })).toBeUndefined()
  })

  it('makes the principal visible to the handler as context.principal in a real Middy chain', async () => {
    const principal = createPrincipal(principalInit())
    const handler = middy(async (_event: unknown, context: LiftContext) => context.principal?.id).use({
      before: (request) => setPrincipal(request, principal),
    })
    await expect(handler({}, {} as never)).resolves.toBe('user-1')
  })
})

describe('requirePrincipal', () => {
  it('returns the principal when one is set', () => {
    const request = { context: {} }
    const principal = createPrincipal(principalInit())
    setPrincipal(request, principal)
    expect(requirePrincipal(request)).toBe(principal)
  })

  it('throws a 401 unauthenticated problem with WWW-Authenticate: Bearer when none is set', () => {
    let thrown: unknown
    try {
      requirePrincipal({ context: {} })
    } catch (error) {
      thrown = error
    }
    expect(isLiftHttpError(thrown)).toBe(true)
    const error = thrown as LiftHttpError
    expect(error.statusCode).toBe(401)
    expect(error.code).toBe('unauthenticated')
    expect(error.headers).toEqual({
      'WWW-Authenticate': 'Bearer',
      'Content-Type': 'application/problem+json',
    })
    expect(error.problem).toEqual({
      type: 'about:blank',
      title: 'Unauthorized',
      status: 401,
      code: 'unauthenticated',
      detail: 'Authentication is required.',
    })
  })

  it('answers 401 problem+json through a real Middy chain with http-error-handler', async () => {
    const handler = middy(async () => 'never')
      .use(httpErrorHandler({ logger: false }))
      .use({ before: (request) => void requirePrincipal(request) })
    const response = await handler({}, {} as never)
    expect(response).toEqual({
      statusCode: 401,
      headers: { 'Content-Type': 'application/problem+json', 'WWW-Authenticate': 'Bearer' },
      body: JSON.stringify({
        type: 'about:blank',
        title: 'Unauthorized',
        status: 401,
        code: 'unauthenticated',
        detail: 'Authentication is required.',
      }),
    })
  })
})
