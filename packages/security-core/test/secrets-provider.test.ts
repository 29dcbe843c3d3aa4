import { randomBytes } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import {
  type SecretsManagerServer,
  startSecretsManagerServer,
} from '../../testing/src/secrets-manager-server'
import {
  createSecretsProvider,
  type SecretsProviderOptions,
  secretsProviderDefaults,
} from '../src/secrets-provider'
import { SecretsProviderError } from '../src/secrets-provider-error'

const TTL = 300_000
const MAX_STALE = 3_600_000
const SECRET_VALUE = 'sup3r-s3cr3t-v4lue'

let server: SecretsManagerServer
const clients: SecretsManagerClient[] = []

beforeAll(async () => {
  server = await startSecretsManagerServer()
})

afterAll(async () => {
  for (const client of clients) client.destroy()
  await server.close()
})

beforeEach(() => {
  server.reset()
})

afterEach(() => {
  jest.restoreAllMocks()
})

function clientConfig(endpoint = server.endpoint) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  }
}

function sdkClient(endpoint?: string): SecretsManagerClient {
  const client = new SecretsManagerClient(clientConfig(endpoint))
  clients.push(client)
  return client
}

/** A server on 127.0.0.1 that answers every request with `answer` (or never, when it does nothing). */
async function rawEndpoint(
  answer: (res: ServerResponse) => void,
): Promise<{ endpoint: string; close(): Promise<void> }> {
  const raw = createServer((req, res) => {
    req.resume()
    req.on('end', () => answer(res))
  })
  await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve))
  return {
    endpoint: `http://127.0.0.1:${(raw.address() as AddressInfo).port}`,
    close() {
      raw.closeAllConnections()
      return new Promise<void>((resolve) => raw.close(() => resolve()))
    },
  }
}

function manualClock(start = 1_700_000_000_000) {
  let now = start
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms
    },
  }
}

function setup(options: SecretsProviderOptions = {}) {
  const clock = manualClock()
  const staleServed: SecretsProviderError[] = []
  const provider = createSecretsProvider({
    client: sdkClient(),
    now: clock.now,
    onStaleServed: (error) => staleServed.push(error),
    ...options,
  })
  return { provider, clock, staleServed }
}

async function rejection(promise: Promise<unknown>): Promise<SecretsProviderError> {
  try {
    await promise
  } catch (error) {
    return error as SecretsProviderError
  }
  throw new Error('expected the promise to reject')
}

function everythingSaidAbout(error: unknown): string {
  const err = error as Error & { cause?: unknown }
  const cause = err.cause as (Error & { $response?: unknown }) | undefined
  return [
    String(err),
    err.message,
    err.stack,
    JSON.stringify(err),
    String(cause),
    cause?.message,
    cause?.stack,
  ].join('\n')
}

describe('createSecretsProvider with the real SDK against a Secrets Manager on 127.0.0.1', () => {
  it('creates the client lazily from clientConfig and asks for AWSCURRENT', async () => {
    server.putSecret('db/password', SECRET_VALUE)
    const provider = createSecretsProvider({ clientConfig: clientConfig() })
    expect(server.requestCount).toBe(0)

    await expect(provider.get('db/password')).resolves.toBe(SECRET_VALUE)

    expect(server.requests).toEqual([
      { target: 'secretsmanager.GetSecretValue', secretId: 'db/password', versionStage: 'AWSCURRENT' },
    ])
  })

  it('uses an injected SDK client', async () => {
    server.putSecret('api/key', 'k-1')
    const { provider } = setup()
    await expect(provider.get('api/key')).resolves.toBe('k-1')
    expect(server.requestCount).toBe(1)
  })

  it.each([0, Number.POSITIVE_INFINITY])(
    'accepts timeoutMs %p to leave the SDK its own timeouts',
    async (timeoutMs) => {
      server.putSecret('api/key', 'k-1')
      const provider = createSecretsProvider({ client: sdkClient(), timeoutMs })
      await expect(provider.get('api/key')).resolves.toBe('k-1')
    },
  )

  it('has sensible frozen defaults', () => {
    expect(secretsProviderDefaults).toEqual({
      ttlMs: 300_000,
      maxStaleMs: 3_600_000,
      timeoutMs: 2_000,
      refreshCooldownMs: 30_000,
    })
    expect(Object.isFrozen(secretsProviderDefaults)).toBe(true)
  })

  describe('TTL cache', () => {
    it('answers from the cache until ttlMs has passed, then fetches again', async () => {
      server.putSecret('s', 'v1')
      const { provider, clock } = setup()
      await provider.get('s')
      server.putSecret('s', 'v2')

      clock.advance(TTL - 1)
      await expect(provider.get('s')).resolves.toBe('v1')
      expect(server.requestCount).toBe(1)

      clock.advance(1)
      await expect(provider.get('s')).resolves.toBe('v2')
      expect(server.requestCount).toBe(2)
    })

    it('honours a custom ttlMs, and ttlMs 0 fetches on every sequential get', async () => {
      server.putSecret('s', 'v')
      const custom = setup({ ttlMs: 10 })
      await custom.provider.get('s')
      custom.clock.advance(10)
      await custom.provider.get('s')
      expect(server.requestCount).toBe(2)

      server.reset()
      server.putSecret('s', 'v')
      const uncached = setup({ ttlMs: 0 })
      await uncached.provider.get('s')
      await uncached.provider.get('s')
      expect(server.requestCount).toBe(2)
    })

    it('holds at most 1000 secret versions, dropping the least recently fetched (attack: unbounded ids from request input)', async () => {
      const { provider } = setup()
      for (let i = 0; i <= 1000; i++) await rejection(provider.get(`keys/attacker-${i}`))
      expect(server.requestCount).toBe(1001)
      await rejection(provider.get('keys/attacker-1000'))
      expect(server.requestCount).toBe(1001)
      await rejection(provider.get('keys/attacker-0'))
      expect(server.requestCount).toBe(1002)
    })

    it('caches each stage separately', async () => {
      server.putSecret('s', 'current')
      server.putSecret('s', 'pending', 'AWSPENDING')
      const { provider } = setup()
      await expect(provider.get('s')).resolves.toBe('current')
      await expect(provider.get('s', { stage: 'AWSPENDING' })).resolves.toBe('pending')
      await expect(provider.get('s', { stage: 'AWSCURRENT' })).resolves.toBe('current')
      expect(server.requests.map((request) => request.versionStage)).toEqual(['AWSCURRENT', 'AWSPENDING'])
    })

    it('does not confuse secret ids and stages that concatenate alike', async () => {
      server.putSecret('a', 'value-of-a', 'BAWSCURRENT')
      server.putSecret('ab', 'value-of-ab', 'AWSCURRENT')
      const { provider } = setup()
      await expect(provider.get('ab')).resolves.toBe('value-of-ab')
      await expect(provider.get('a', { stage: 'BAWSCURRENT' })).resolves.toBe('value-of-a')
    })
  })

  describe('single-flight', () => {
    it('sends exactly one request for 50 concurrent gets of the same secret', async () => {
      server.putSecret('hot', 'v')
      const { provider } = setup()
      const values = await Promise.all(Array.from({ length: 50 }, () => provider.get('hot')))
      expect(values).toEqual(Array.from({ length: 50 }, () => 'v'))
      expect(server.requestCount).toBe(1)
    })

    it('sends one request per stage when stages are asked concurrently', async () => {
      server.putSecret('hot', 'v1')
      server.rotateSecret('hot', 'v2')
      const { provider } = setup()
      await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          provider.get('hot', { stage: i % 2 ? 'AWSCURRENT' : 'AWSPREVIOUS' }),
        ),
      )
      expect(server.requestCount).toBe(2)
    })

    it('shares one refresh between concurrent gets after expiry', async () => {
      server.putSecret('hot', 'v1')
      const { provider, clock } = setup()
      await provider.get('hot')
      server.putSecret('hot', 'v2')
      clock.advance(TTL)
      const values = await Promise.all(Array.from({ length: 50 }, () => provider.get('hot')))
      expect(new Set(values)).toEqual(new Set(['v2']))
      expect(server.requestCount).toBe(2)
    })

    it('sends one request per stage for 50 concurrent first getRotating calls, and none more within the TTL on the real clock', async () => {
      server.putSecret('hmac', 'k0')
      server.rotateSecret('hmac', 'k1')
      const provider = createSecretsProvider({ client: sdkClient() })
      const all = await Promise.all(Array.from({ length: 50 }, () => provider.getRotating('hmac')))
      expect(new Set(all.map((pair) => `${pair.current}/${pair.previous}`))).toEqual(new Set(['k1/k0']))
      expect(server.requestCount).toBe(2)
      for (let i = 0; i < 20; i++) await provider.getRotating('hmac')
      expect(server.requestCount).toBe(2)
    })

    it('rejects every waiter of a failed request once, then tries again on the next get', async () => {
      server.putSecret('hot', 'v')
      server.failNext('throttling')
      const { provider } = setup()
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => provider.get('hot')))
      expect(results.every((result) => result.status === 'rejected')).toBe(true)
      expect(server.requestCount).toBe(1)

      await expect(provider.get('hot')).resolves.toBe('v')
      expect(server.requestCount).toBe(2)
    })
  })

  describe('stale-if-error', () => {
    it('answers a throttled refresh from the expired value within maxStaleMs and reports it', async () => {
      server.putSecret('s', SECRET_VALUE)
      const { provider, clock, staleServed } = setup()
      await provider.get('s')
      clock.advance(TTL + 1000)
      server.failNext('throttling')

      await expect(provider.get('s')).resolves.toBe(SECRET_VALUE)

      expect(server.requestCount).toBe(2)
      expect(staleServed).toHaveLength(1)
      expect(staleServed[0]).toBeInstanceOf(SecretsProviderError)
      expect(staleServed[0]?.code).toBe('secret-unavailable')
      expect(staleServed[0]?.message).toBe(
        'Could not get secret "s" (stage AWSCURRENT) from Secrets Manager: ThrottlingException: Rate exceeded',
      )
    })

    it('answers a 5xx refresh from the expired value until maxStaleMs after expiry, then the error propagates', async () => {
      server.putSecret('s', 'v')
      const { provider, clock, staleServed } = setup()
      await provider.get('s')

      clock.advance(TTL + MAX_STALE - 1)
      server.failNext('internal-error')
      await expect(provider.get('s')).resolves.toBe('v')
      expect(staleServed).toHaveLength(1)

      clock.advance(1)
      server.failNext('internal-error')
      const error = await rejection(provider.get('s'))
      expect(error).toBeInstanceOf(SecretsProviderError)
      expect(error.code).toBe('secret-unavailable')
      expect(error.secretId).toBe('s')
      expect(error.stage).toBe('AWSCURRENT')
      expect(error.message).toBe(
        'Could not get secret "s" (stage AWSCURRENT) from Secrets Manager: InternalServiceError: An error occurred on the server side.',
      )
      expect((error.cause as Error).name).toBe('InternalServiceError')
      expect(server.requestCount).toBe(3)
    })

    it('honours a custom maxStaleMs, and 0 disables stale answers', async () => {
      server.putSecret('s', 'v')
      const { provider, clock } = setup({ maxStaleMs: 0 })
      await provider.get('s')
      clock.advance(TTL)
      server.failNext('throttling')
      await expect(provider.get('s')).rejects.toThrow(/ThrottlingException/)
    })

    it('keeps trying to refresh while answering stale, and stores the new value once the service answers', async () => {
      server.putSecret('s', 'v1')
      const { provider, clock } = setup()
      await provider.get('s')
      clock.advance(TTL)
      server.failNext('throttling', 2)
      await expect(provider.get('s')).resolves.toBe('v1')
      await expect(provider.get('s')).resolves.toBe('v1')
      server.putSecret('s', 'v2')
      await expect(provider.get('s')).resolves.toBe('v2')
      await expect(provider.get('s')).resolves.toBe('v2')
      expect(server.requestCount).toBe(4)
    })

    it('keeps getRotating working through an outage, including a cached "no AWSPREVIOUS"', async () => {
      server.putSecret('hmac', 'only-key')
      const { provider, clock, staleServed } = setup()
      await provider.getRotating('hmac')
      clock.advance(TTL)
      server.failNext('throttling', 2)

      await expect(provider.getRotating('hmac')).resolves.toEqual({ current: 'only-key' })

      expect(server.requestCount).toBe(4)
      expect(staleServed.map((error) => error.stage).sort()).toEqual(['AWSCURRENT', 'AWSPREVIOUS'])
    })

    it('propagates the error when nothing was cached before', async () => {
      server.failNext('throttling')
      const { provider, staleServed } = setup()
      const error = await rejection(provider.get('s'))
      expect(error.code).toBe('secret-unavailable')
      expect(staleServed).toHaveLength(0)
    })

    it('does not answer stale when the secret was deleted: not found is an answer, not an outage', async () => {
      server.putSecret('s', 'v')
      const { provider, clock } = setup()
      await provider.get('s')
      server.deleteSecret('s')
      clock.advance(TTL)
      const error = await rejection(provider.get('s'))
      expect(error.code).toBe('secret-not-found')
    })

    it('does not answer stale for a secret scheduled for deletion (attack: a deleted, compromised key kept working)', async () => {
      server.putSecret('hmac', SECRET_VALUE)
      const { provider, clock, staleServed } = setup()
      await provider.get('hmac')
      clock.advance(TTL)
      // What GetSecretValue answers during the recovery window of DeleteSecret (7 to 30 days, the default).
      const markedForDeletion = {
        status: 400,
        type: 'InvalidRequestException',
        message: "You can't perform this operation on the secret because it was marked for deletion.",
      }
      server.failNext(markedForDeletion)
      const error = await rejection(provider.get('hmac'))
      expect(error.code).toBe('secret-not-found')
      expect(error.message).toBe(
        'Secret "hmac" (stage AWSCURRENT) is scheduled for deletion in Secrets Manager',
      )
      expect(staleServed).toHaveLength(0)
      await rejection(provider.get('hmac')) // cached for the TTL, like not found
      expect(server.requestCount).toBe(2)
    })

    it('reports an endpoint that cannot be reached as secret-unavailable, keeping the network error as cause', async () => {
      const unreachable = await startSecretsManagerServer()
      const endpoint = unreachable.endpoint
      await unreachable.close()
      const clock = manualClock()
      const provider = createSecretsProvider({ client: sdkClient(endpoint), now: clock.now })
      const error = await rejection(provider.get('s'))
      expect(error.code).toBe('secret-unavailable')
      expect(error.message).toMatch(/^Could not get secret "s" \(stage AWSCURRENT\) from Secrets Manager: /)
      expect(error.cause).toBeDefined()
    })

    it('gives up on an endpoint that never answers after timeoutMs, and answers from the stale value meanwhile', async () => {
      server.putSecret('s', 'v')
      const silent = await rawEndpoint(() => undefined)
      try {
        const clock = manualClock()
        const staleServed: SecretsProviderError[] = []
        const options = {
          now: clock.now,
          timeoutMs: 50,
          onStaleServed: (e: SecretsProviderError) => staleServed.push(e),
        }
        const hanging = createSecretsProvider({ client: sdkClient(silent.endpoint), ...options })
        const error = await rejection(hanging.get('s'))
        expect(error.code).toBe('secret-unavailable')
        expect(error.message).toBe(
          'Could not get secret "s" (stage AWSCURRENT) from Secrets Manager: TimeoutError: The operation was aborted due to timeout',
        )

        let useSilent = false
        const good = sdkClient()
        const bad = sdkClient(silent.endpoint)
        const switching = createSecretsProvider({
          client: {
            send: (command, sendOptions) => (useSilent ? bad : good).send(command as never, sendOptions),
          },
          ...options,
        })
        await switching.get('s')
        clock.advance(TTL)
        useSilent = true
        await expect(switching.get('s')).resolves.toBe('v')
        expect(staleServed.map((e) => e.message)).toEqual([
          'Could not get secret "s" (stage AWSCURRENT) from Secrets Manager: TimeoutError: The operation was aborted due to timeout',
        ])
      } finally {
        await silent.close()
      }
    })

    it('does not quote an answer the SDK could not parse, which holds the secret (attack: disclosure through a parser message)', async () => {
      const garbled = await rawEndpoint((res) => {
        res.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.1' })
        res.end(`{"Name":"s","SecretString":${SECRET_VALUE}}`)
      })
      try {
        const provider = createSecretsProvider({ client: sdkClient(garbled.endpoint) })
        const error = await rejection(provider.get('s'))
        expect(error.code).toBe('secret-unavailable')
        expect(error.message).toBe(
          'Could not get secret "s" (stage AWSCURRENT) from Secrets Manager: the answer could not be parsed',
        )
        expect(everythingSaidAbout(error)).not.toContain('s3cr')
        expect(everythingSaidAbout(error)).not.toContain('sup3r')
      } finally {
        await garbled.close()
      }
    })

    it('warns through process.emitWarning by default, naming the secret id but not its value', async () => {
      server.putSecret('s', SECRET_VALUE)
      const warnings = jest.spyOn(process, 'emitWarning').mockImplementation(() => undefined)
      const clock = manualClock()
      const provider = createSecretsProvider({ client: sdkClient(), now: clock.now })
      await provider.get('s')
      clock.advance(TTL)
      server.failNext('throttling')

      await expect(provider.get('s')).resolves.toBe(SECRET_VALUE)

      expect(warnings).toHaveBeenCalledTimes(1)
      expect(warnings).toHaveBeenCalledWith(
        'Could not get secret "s" (stage AWSCURRENT) from Secrets Manager: ThrottlingException: Rate exceeded; answering from the expired cached value',
        { code: 'LIFT_SECRET_STALE' },
      )
      expect(JSON.stringify(warnings.mock.calls)).not.toContain(SECRET_VALUE)
    })
  })

  describe('rotation (AWSCURRENT / AWSPREVIOUS)', () => {
    it('getRotating returns the current and the previous value after a rotation', async () => {
      server.putSecret('hmac', 'old-key')
      server.rotateSecret('hmac', 'new-key')
      const { provider } = setup()

      await expect(provider.getRotating('hmac')).resolves.toEqual({ current: 'new-key', previous: 'old-key' })

      expect(server.requests.map((request) => request.versionStage).sort()).toEqual([
        'AWSCURRENT',
        'AWSPREVIOUS',
      ])
    })

    it('returns previous undefined, not an error, when the secret has no AWSPREVIOUS, and caches that', async () => {
      server.putSecret('hmac', 'only-key')
      const { provider } = setup()

      const first = await provider.getRotating('hmac')
      expect(first).toEqual({ current: 'only-key' })
      expect(first.previous).toBeUndefined()
      await provider.getRotating('hmac')

      expect(server.requestCount).toBe(2)
    })

    it('sees a rotation after the TTL', async () => {
      server.putSecret('hmac', 'k1')
      const { provider, clock } = setup()
      await expect(provider.getRotating('hmac')).resolves.toEqual({ current: 'k1' })
      server.rotateSecret('hmac', 'k2')
      clock.advance(TTL)
      await expect(provider.getRotating('hmac')).resolves.toEqual({ current: 'k2', previous: 'k1' })
    })

    it('applies json and field to both versions', async () => {
      server.putSecret('hmac', JSON.stringify({ key: 'old', alg: 'HS256' }))
      server.rotateSecret('hmac', JSON.stringify({ key: 'new', alg: 'HS256' }))
      const { provider } = setup()
      await expect(provider.getRotating('hmac', { field: 'key' })).resolves.toEqual({
        current: 'new',
        previous: 'old',
      })
      await expect(provider.getRotating('hmac', { json: true })).resolves.toEqual({
        current: { key: 'new', alg: 'HS256' },
        previous: { key: 'old', alg: 'HS256' },
      })
    })

    it('keeps accepting the value a rotation just replaced when AWSCURRENT was cached earlier than AWSPREVIOUS (prefetch, health check)', async () => {
      server.putSecret('hmac', 'k0')
      server.rotateSecret('hmac', 'k1')
      const { provider, clock } = setup()
      await provider.prefetch(['hmac']) // AWSCURRENT at cold start
      clock.advance(4 * 60_000)
      await expect(provider.getRotating('hmac')).resolves.toEqual({ current: 'k1', previous: 'k0' })

      server.rotateSecret('hmac', 'k2') // AWSPENDING k2 becomes AWSCURRENT, k1 becomes AWSPREVIOUS
      clock.advance(90_000) // the AWSCURRENT entry has expired, the AWSPREVIOUS one not yet

      // Signers that have not refreshed yet still sign with k1: it must stay accepted.
      await expect(provider.getRotating('hmac')).resolves.toEqual({ current: 'k2', previous: 'k1' })
    })

    it('ignores a stage passed to getRotating', async () => {
      server.putSecret('hmac', 'k1')
      server.putSecret('hmac', 'pending', 'AWSPENDING')
      const { provider } = setup()
      const rotating = await provider.getRotating('hmac', { stage: 'AWSPENDING' } as never)
      expect(rotating).toEqual({ current: 'k1' })
    })

    it('fails when the secret itself does not exist', async () => {
      const { provider } = setup()
      const error = await rejection(provider.getRotating('missing'))
      expect(error.code).toBe('secret-not-found')
      expect(error.message).toBe('Secret "missing" (stage AWSCURRENT) was not found in Secrets Manager')
    })

    it('get with stage AWSPREVIOUS on a secret without one is a not-found error', async () => {
      server.putSecret('hmac', 'k1')
      const { provider } = setup()
      const error = await rejection(provider.get('hmac', { stage: 'AWSPREVIOUS' }))
      expect(error.code).toBe('secret-not-found')
      expect(error.stage).toBe('AWSPREVIOUS')
      expect(error.message).toBe('Secret "hmac" (stage AWSPREVIOUS) was not found in Secrets Manager')
    })
  })

  describe('refresh (a signature that matched neither cached value)', () => {
    it('re-reads AWSCURRENT within the TTL; a changed value makes getRotating read AWSPREVIOUS again', async () => {
      server.putSecret('hmac', 'k1')
      server.rotateSecret('hmac', 'k2')
      const { provider } = setup()
      await expect(provider.getRotating('hmac')).resolves.toEqual({ current: 'k2', previous: 'k1' })
      server.rotateSecret('hmac', 'k3')
      await expect(provider.refresh('hmac')).resolves.toBe(true)
      await expect(provider.getRotating('hmac')).resolves.toEqual({ current: 'k3', previous: 'k2' })
      expect(server.requests.map((request) => request.versionStage)).toEqual([
        'AWSCURRENT',
        'AWSPREVIOUS',
        'AWSCURRENT',
        'AWSPREVIOUS',
      ])
    })

    it('an unchanged AWSCURRENT is one read: AWSPREVIOUS and the cache age are kept', async () => {
      server.putSecret('hmac', 'k1')
      server.rotateSecret('hmac', 'k2')
      const { provider, clock } = setup()
      await provider.getRotating('hmac')
      clock.advance(TTL - 1)
      await expect(provider.refresh('hmac')).resolves.toBe(false)
      await provider.getRotating('hmac')
      expect(server.requestCount).toBe(3)
      clock.advance(1)
      await provider.getRotating('hmac')
      expect(server.requestCount).toBe(5)
    })

    it('attack: asks Secrets Manager at most once per refreshCooldownMs, failed reads included', async () => {
      server.putSecret('hmac', 'k1')
      const { provider, clock } = setup({ refreshCooldownMs: 10_000 })
      await provider.getRotating('hmac')
      server.failNext('internal-error', 1)
      await expect(provider.refresh('hmac')).rejects.toMatchObject({ code: 'secret-unavailable' })
      for (let i = 0; i < 5; i++) await expect(provider.refresh('hmac')).resolves.toBe(false)
      expect(server.requestCount).toBe(3)
      await expect(provider.getRotating('hmac')).resolves.toEqual({ current: 'k1' })
      clock.advance(10_000)
      await expect(provider.refresh('hmac')).resolves.toBe(false)
      expect(server.requestCount).toBe(4)
    })

    it('concurrent refreshes share one read', async () => {
      server.putSecret('hmac', 'k1')
      const { provider } = setup()
      await provider.getRotating('hmac')
      server.rotateSecret('hmac', 'k2')
      const results = await Promise.all(Array.from({ length: 5 }, () => provider.refresh('hmac')))
      expect(results).toEqual([true, true, true, true, true])
      expect(server.requestCount).toBe(3)
    })

    it('checks the secret id', async () => {
      const { provider } = setup()
      expect(() => provider.refresh('' as never)).toThrow(/refresh/)
    })
  })

  describe('JSON and fields', () => {
    const credentials = { username: 'app', password: SECRET_VALUE, port: 5432, nested: { a: [1] } }

    it('parses JSON when asked, and returns a frozen object shared safely between callers', async () => {
      server.putSecret('db', JSON.stringify(credentials))
      const { provider } = setup()
      const parsed = (await provider.get('db', { json: true })) as typeof credentials
      expect(parsed).toEqual(credentials)
      expect(Object.isFrozen(parsed)).toBe(true)
      expect(Object.isFrozen(parsed.nested.a)).toBe(true)
      expect(await provider.get('db', { json: true })).toBe(parsed)
    })

    it('returns the raw string when neither json nor field is asked', async () => {
      server.putSecret('db', JSON.stringify(credentials))
      const { provider } = setup()
      await expect(provider.get('db')).resolves.toBe(JSON.stringify(credentials))
    })

    it('selects a top-level field of any JSON type', async () => {
      server.putSecret('db', JSON.stringify(credentials))
      const { provider } = setup()
      await expect(provider.get('db', { field: 'username' })).resolves.toBe('app')
      await expect(provider.get('db', { field: 'port' })).resolves.toBe(5432)
      await expect(provider.get('db', { field: 'nested' })).resolves.toEqual({ a: [1] })
      expect(server.requestCount).toBe(1)
    })

    it('reports a missing field naming the secret id and field', async () => {
      server.putSecret('db', JSON.stringify(credentials))
      const { provider } = setup()
      const error = await rejection(provider.get('db', { field: 'host' }))
      expect(error.code).toBe('secret-field-missing')
      expect(error.message).toBe('Secret "db" (stage AWSCURRENT) has no field "host"')
    })

    it('does not find fields through the prototype (attack: inherited property lookup)', async () => {
      server.putSecret('db', JSON.stringify(credentials))
      const { provider } = setup()
      for (const field of ['toString', 'constructor', '__proto__', 'hasOwnProperty']) {
        const error = await rejection(provider.get('db', { field }))
        expect(error.code).toBe('secret-field-missing')
      }
    })

    it.each([
      ['an array', '["a","b"]', '0'],
      ['a number', '42', 'x'],
      ['null', 'null', 'x'],
      ['a string', '"text"', 'length'],
    ])('reports a field asked of JSON that is %s as missing', async (_label, text, field) => {
      server.putSecret('odd', text)
      const { provider } = setup()
      const error = await rejection(provider.get('odd', { field }))
      expect(error.code).toBe('secret-field-missing')
    })

    it('reports a secret that is not JSON, naming the secret id but not the value', async () => {
      server.putSecret('plain', SECRET_VALUE)
      const { provider } = setup()
      for (const options of [{ json: true }, { field: 'password' }]) {
        const error = await rejection(provider.get('plain', options))
        expect(error).toBeInstanceOf(SecretsProviderError)
        expect(error.code).toBe('secret-not-json')
        expect(error.message).toBe('Secret "plain" (stage AWSCURRENT) is not valid JSON')
        expect(error.cause).toBeUndefined()
      }
      await expect(provider.get('plain')).resolves.toBe(SECRET_VALUE)
    })
  })

  describe('SecretBinary', () => {
    it('decodes a binary secret to a UTF-8 string', async () => {
      server.putSecret('bin', Buffer.from('binäry-välue', 'utf8'))
      const { provider } = setup()
      await expect(provider.get('bin')).resolves.toBe('binäry-välue')
    })

    it('parses a binary JSON secret', async () => {
      server.putSecret('bin', Buffer.from('{"key":"k"}'))
      const { provider } = setup()
      await expect(provider.get('bin', { field: 'key' })).resolves.toBe('k')
    })

    it('refuses a binary secret that is not UTF-8 text instead of handing out a corrupted key', async () => {
      const key = Buffer.concat([Buffer.from([0xff, 0xc3, 0x28, 0x80]), randomBytes(28)])
      server.putSecret('bin-key', key)
      const { provider } = setup()
      const error = await rejection(provider.get('bin-key'))
      expect(error).toBeInstanceOf(SecretsProviderError)
      expect(error.code).toBe('secret-not-text')
      expect(error.message).toBe(
        'Secret "bin-key" (stage AWSCURRENT) is a SecretBinary that is not UTF-8 text',
      )
      expect((await rejection(provider.getRotating('bin-key'))).code).toBe('secret-not-text')
    })

    it('keeps the exact bytes of a UTF-8 binary secret, byte order mark included', async () => {
      server.putSecret('bom', Buffer.from('\ufeffkey', 'utf8'))
      const { provider } = setup()
      await expect(provider.get('bom')).resolves.toBe('\ufeffkey')
    })

    it('reports an answer with neither SecretString nor SecretBinary', async () => {
      server.respondNext({ status: 200, body: { ARN: 'arn', Name: 'empty', VersionId: 'v' } })
      const { provider } = setup()
      const error = await rejection(provider.get('empty'))
      expect(error.code).toBe('secret-no-value')
      expect(error.message).toBe(
        'Secret "empty" (stage AWSCURRENT) has neither SecretString nor SecretBinary',
      )
    })
  })

  describe('not found', () => {
    it('reports ResourceNotFoundException as a clear not-found error', async () => {
      const { provider } = setup()
      const error = await rejection(provider.get('nope'))
      expect(error).toBeInstanceOf(SecretsProviderError)
      expect(error.name).toBe('SecretsProviderError')
      expect(error.code).toBe('secret-not-found')
      expect(error.secretId).toBe('nope')
      expect(error.message).toBe('Secret "nope" (stage AWSCURRENT) was not found in Secrets Manager')
    })

    it('caches the absence for the TTL, then sees a secret created later', async () => {
      const { provider, clock } = setup()
      await rejection(provider.get('later'))
      await rejection(provider.get('later'))
      expect(server.requestCount).toBe(1)
      server.putSecret('later', 'v')
      clock.advance(TTL)
      await expect(provider.get('later')).resolves.toBe('v')
    })
  })

  describe('prefetch', () => {
    it('fetches the AWSCURRENT values once, so later gets cost no request', async () => {
      server.putSecret('a', '1')
      server.putSecret('b', '2')
      const { provider } = setup()
      await provider.prefetch(['a', 'b'])
      expect(server.requestCount).toBe(2)
      await expect(provider.get('a')).resolves.toBe('1')
      await expect(provider.get('b')).resolves.toBe('2')
      expect(server.requestCount).toBe(2)
    })

    it('rejects when a secret does not exist or cannot be fetched', async () => {
      server.putSecret('a', '1')
      const { provider } = setup()
      expect((await rejection(provider.prefetch(['a', 'missing']))).code).toBe('secret-not-found')
      server.failNext('internal-error')
      expect((await rejection(provider.prefetch(['c']))).code).toBe('secret-unavailable')
    })

    it('rejects invalid input with a clear message', async () => {
      const { provider } = setup()
      await expect(provider.prefetch('a' as never)).rejects.toThrow(
        'prefetch: secretIds must be an array of secret ids',
      )
      await expect(provider.prefetch(['a', ''])).rejects.toThrow(
        'secretId must be a non-empty string (a secret name or ARN)',
      )
      expect(server.requestCount).toBe(0)
    })
  })

  describe('an injected client that does not behave like the SDK', () => {
    it('reports an answer that is not an object as having no value', async () => {
      const provider = createSecretsProvider({ client: { send: async () => null } })
      expect((await rejection(provider.get('s'))).code).toBe('secret-no-value')
    })

    it.each([
      ['a string', 'boom', 'boom'],
      ['null', null, 'null'],
      ['an object without name', { message: 'x' }, '[object Object]'],
    ])('describes a thrown %s', async (_label, thrown, description) => {
      const provider = createSecretsProvider({
        client: {
          send: async () => {
            throw thrown
          },
        },
      })
      const error = await rejection(provider.get('s'))
      expect(error.code).toBe('secret-unavailable')
      expect(error.message).toBe(
        `Could not get secret "s" (stage AWSCURRENT) from Secrets Manager: ${description}`,
      )
      expect(error.cause).toBe(thrown)
    })
  })

  it('never puts a secret value into an error message, stack or cause (attack: secret disclosure through errors)', async () => {
    server.putSecret('plain', SECRET_VALUE)
    server.putSecret('json', JSON.stringify({ password: SECRET_VALUE }))
    server.putSecret('array', JSON.stringify([SECRET_VALUE]))
    server.putSecret('stale', SECRET_VALUE)
    const { provider, clock, staleServed } = setup()
    const errors = [
      await rejection(provider.get('plain', { json: true })),
      await rejection(provider.get('plain', { field: 'password' })),
      await rejection(provider.get('json', { field: 'user' })),
      await rejection(provider.get('array', { field: '0' })),
    ]
    await provider.get('stale')
    clock.advance(TTL + MAX_STALE)
    server.failNext({ status: 400, type: 'DecryptionFailure', message: 'KMS could not decrypt the secret.' })
    errors.push(await rejection(provider.get('stale')))
    errors.push(...staleServed)

    expect(errors).toHaveLength(5)
    for (const error of errors) {
      expect(everythingSaidAbout(error)).not.toContain(SECRET_VALUE)
      expect(everythingSaidAbout(error)).not.toContain('s3cr3t')
    }
  })

  describe('option validation (once, at creation)', () => {
    it.each([
      [{ ttlMs: -1 }, 'createSecretsProvider: ttlMs must be a number of milliseconds >= 0, got -1'],
      [{ ttlMs: Number.NaN }, 'createSecretsProvider: ttlMs must be a number of milliseconds >= 0, got NaN'],
      [{ ttlMs: '1000' }, 'createSecretsProvider: ttlMs must be a number of milliseconds >= 0, got 1000'],
      [{ maxStaleMs: -5 }, 'createSecretsProvider: maxStaleMs must be a number of milliseconds >= 0, got -5'],
      [{ timeoutMs: -1 }, 'createSecretsProvider: timeoutMs must be a number of milliseconds >= 0, got -1'],
      [{ timeoutMs: '50' }, 'createSecretsProvider: timeoutMs must be a number of milliseconds >= 0, got 50'],
      [
        { refreshCooldownMs: -1 },
        'createSecretsProvider: refreshCooldownMs must be a number of milliseconds >= 0, got -1',
      ],
      [{ ttl: 1000 }, 'createSecretsProvider: unknown option "ttl"'],
      [{ client: {} }, 'createSecretsProvider: client must have a send(command) method'],
      [{ client: null }, 'createSecretsProvider: client must have a send(command) method'],
      [{ clientConfig: null }, 'createSecretsProvider: clientConfig must be an object'],
      [{ clientConfig: 'us-east-1' }, 'createSecretsProvider: clientConfig must be an object'],
      [{ now: 5 }, 'createSecretsProvider: now must be a function'],
      [{ onStaleServed: 'log' }, 'createSecretsProvider: onStaleServed must be a function'],
    ])('rejects %p with a clear message', (options, message) => {
      expect(() => createSecretsProvider(options as never)).toThrow(message)
    })

    it('rejects options that are not an object', () => {
      expect(() => createSecretsProvider(null as never)).toThrow(
        'createSecretsProvider: options must be an object',
      )
    })

    it('makes no request and creates no client at creation', () => {
      createSecretsProvider({ clientConfig: clientConfig() })
      expect(server.requestCount).toBe(0)
    })
  })

  describe('get argument validation', () => {
    it.each([
      ['an empty secret id', '', {}, 'secretId must be a non-empty string (a secret name or ARN)'],
      [
        'a secret id that is not a string',
        42,
        {},
        'secretId must be a non-empty string (a secret name or ARN)',
      ],
      ['options that are not an object', 's', null, 'get: options must be an object'],
      ['an empty stage', 's', { stage: '' }, 'get: stage must be a non-empty string'],
      ['an empty field', 's', { field: '' }, 'get: field must be a non-empty string'],
      ['a field that is not a string', 's', { field: 1 }, 'get: field must be a non-empty string'],
      ['json that is not a boolean', 's', { json: 'yes' }, 'get: json must be a boolean'],
      // A misspelt field would hand out the whole JSON document (every credential in it) as "the value".
      ['a misspelt option (feild)', 's', { feild: 'password' }, 'get: unknown option "feild"'],
      [
        'a misspelt option (versionStage)',
        's',
        { versionStage: 'AWSPREVIOUS' },
        'get: unknown option "versionStage"',
      ],
    ])('rejects %s without a request', async (_label, secretId, options, message) => {
      const { provider } = setup()
      await expect(provider.get(secretId as string, options as never)).rejects.toThrow(message)
      expect(server.requestCount).toBe(0)
    })

    it('validates getRotating arguments too', async () => {
      const { provider } = setup()
      await expect(provider.getRotating('')).rejects.toThrow('secretId must be a non-empty string')
      await expect(provider.getRotating('s', { json: 1 } as never)).rejects.toThrow(
        'get: json must be a boolean',
      )
    })
  })
})
