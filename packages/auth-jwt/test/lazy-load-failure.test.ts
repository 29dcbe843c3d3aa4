// The code auth-jwt loads with import() on first use (the JWKS key source, the issuer resolver's lookup) can
// fail to load: a chunk missing from a hand-made deployment, EMFILE under load. That token must get the
// documented 503 (fail closed, problem+json, one `module-load-failed` event), never an unexpected 500, and
// the failure must not be remembered: the next token loads the module again.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { type AsymmetricTestIssuer, createTestIssuer } from '@lift/testing'
import type { KeySource } from '../src/key-source'
import { lazyKeySource } from '../src/lazy-key-source'
import { TokenRejection } from '../src/rejection'
import * as actualRemoteKeys from '../src/remote-keys'
import * as actualResolverLookup from '../src/resolver-lookup'
import { NOW_MS } from './support/fixtures'

/** How many more times each lazily loaded module fails to load (its import() rejects) before it loads. */
const failuresLeft = { remoteKeys: 0, resolverLookup: 0 }

function failWhileCounted(module: keyof typeof failuresLeft): void {
  if (failuresLeft[module] === 0) return
  failuresLeft[module] -= 1
  throw new Error(`ENOENT: the ${module} chunk is missing from the deployment`)
}

// The modules as auth-jwt's import() gets them: the real code, behind a load that fails while counted.
jest.unstable_mockModule('../src/remote-keys', () => ({
  remoteKeySource: (...args: Parameters<typeof actualRemoteKeys.remoteKeySource>) => {
    failWhileCounted('remoteKeys')
    return actualRemoteKeys.remoteKeySource(...args)
  },
}))
jest.unstable_mockModule('../src/resolver-lookup', () => ({
  resolverLookup: (...args: Parameters<typeof actualResolverLookup.resolverLookup>) => {
    failWhileCounted('resolverLookup')
    return actualResolverLookup.resolverLookup(...args)
  },
}))

const { jwtAuth } = await import('../src/index')
const { app, bearer, call, securityEventLog } = await import('./support/run')
const log = securityEventLog()

let issuer: AsymmetricTestIssuer
beforeAll(async () => {
  issuer = await createTestIssuer({ alg: 'RS256', audience: 'api', now: () => NOW_MS })
})
afterAll(async () => {
  await issuer.close()
})

const options = { cache: false as const, now: () => NOW_MS }

describe('a module loaded on first use fails to load', () => {
  it('JWKS key source: 503 problem+json for that token, then the next token loads it and passes', async () => {
    const handler = app(
      jwtAuth({
        issuers: [{ issuer: issuer.issuer, audience: 'api', algorithms: ['RS256'], jwksUri: issuer.jwksUri }],
        ...options,
      }),
    )
    const token = await issuer.sign({ sub: 'u' })
    failuresLeft.remoteKeys = 1
    const failed = await call(handler, bearer(token))
    expect(failed.statusCode).toBe(503)
    expect(failed.headers['Content-Type']).toBe('application/problem+json')
    expect(JSON.parse(failed.body)).toMatchObject({ status: 503, code: 'authentication-unavailable' })
    expect(failed.body).not.toMatch(/ENOENT|chunk|stack/i)
    expect(log.reasons()).toContain('module-load-failed')

    expect((await call(handler, bearer(token))).statusCode).toBe(200)
  })

  it('issuer resolver lookup: 503 problem+json for that token, then the next token loads it and passes', async () => {
    const handler = app(
      jwtAuth({
        issuers: (iss) =>
          iss === issuer.issuer
            ? { issuer: issuer.issuer, audience: 'api', algorithms: ['RS256'], jwksUri: issuer.jwksUri }
            : undefined,
        ...options,
      }),
    )
    const token = await issuer.sign({ sub: 'u' })
    failuresLeft.resolverLookup = 1
    const failed = await call(handler, bearer(token))
    expect(failed.statusCode).toBe(503)
    expect(JSON.parse(failed.body)).toMatchObject({ code: 'authentication-unavailable' })
    expect((await call(handler, bearer(token))).statusCode).toBe(200)
  })
})

describe('lazyKeySource', () => {
  const loaded: KeySource = { generation: 1, fresh: true, keysFor: () => [] }

  it('shares one load between the calls that arrive while it runs', async () => {
    const load = jest.fn(async () => loaded)
    const source = lazyKeySource(load)
    await Promise.all([source.keysFor('RS256', {}), source.keysFor('RS256', {})])
    expect(load).toHaveBeenCalledTimes(1)
    expect(source.keysFor('RS256', {})).toEqual([])
    expect([source.generation, source.fresh]).toEqual([1, true])
  })

  it('turns a failed load into a 503 rejection carrying the cause, and retries on the next call', async () => {
    const cause = new Error('EMFILE: too many open files')
    const load = jest.fn<() => Promise<KeySource>>().mockRejectedValueOnce(cause).mockResolvedValue(loaded)
    const source = lazyKeySource(load)
    const failure = await Promise.resolve(source.keysFor('RS256', {})).catch((error: unknown) => error)
    expect(failure).toBeInstanceOf(TokenRejection)
    expect(failure).toMatchObject({ reason: 'module-load-failed', status: 503, cause })
    expect([source.generation, source.fresh]).toEqual([0, false])
    expect(await source.keysFor('RS256', {})).toEqual([])
    expect(load).toHaveBeenCalledTimes(2)
  })
})
