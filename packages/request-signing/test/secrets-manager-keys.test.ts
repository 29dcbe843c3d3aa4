import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createSecretsProvider } from '@lift/security-core'
import { apiGatewayV2Event, type SecretsManagerServer, startSecretsManagerServer } from '@lift/testing'
import { secretsManagerHmacKey, signWebhook } from '../src/index'
import { invoke } from './support/harness'
import { now } from './support/keys'
import { signedTestRequest } from './support/signed-test-request'

const first = 'first-secret-0123456789abcdefghijklmnop'
const second = 'second-secret-0123456789abcdefghijklmno'
let server: SecretsManagerServer
let client: SecretsManagerClient

beforeAll(async () => {
  server = await startSecretsManagerServer()
  client = new SecretsManagerClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
})

afterAll(async () => {
  client.destroy()
  await server.close()
})

describe('HMAC keys from Secrets Manager', () => {
  it('verifies with AWSCURRENT and, after a rotation, with AWSPREVIOUS too', async () => {
    server.putSecret('svc/orders', first)
    let clock = 1_000
    const secrets = createSecretsProvider({ client, ttlMs: 60_000, now: () => clock })
    const options = {
      keys: (keyId: string) =>
        keyId === 'orders'
          ? secretsManagerHmacKey(secrets, 'svc/orders', { principalId: 'orders-svc', tenantId: 't9' })
          : undefined,
      now,
    }
    const signedWithFirst = signedTestRequest({}, { keyId: 'orders', key: first, alg: 'hmac-sha256', now })
    const ok = await invoke(options, signedWithFirst)
    expect(ok.statusCode).toBe(200)
    expect(ok.principal).toMatchObject({ id: 'orders-svc', tenantId: 't9' })

    server.rotateSecret('svc/orders', second)
    clock += 120_000
    expect((await invoke(options, signedWithFirst)).statusCode).toBe(200)
    const signedWithSecond = signedTestRequest({}, { keyId: 'orders', key: second, alg: 'hmac-sha256', now })
    expect((await invoke(options, signedWithSecond)).statusCode).toBe(200)
    const forged = signedTestRequest({}, { keyId: 'orders', key: 'x'.repeat(40), alg: 'hmac-sha256', now })
    expect((await invoke(options, forged)).statusCode).toBe(401)
  })

  it('reads a JSON field and returns the same entry while the secret is unchanged', async () => {
    server.putSecret('svc/json', JSON.stringify({ hmac: first }))
    const secrets = createSecretsProvider({ client })
    const a = await secretsManagerHmacKey(secrets, 'svc/json', { field: 'hmac' })
    const b = await secretsManagerHmacKey(secrets, 'svc/json', { field: 'hmac' })
    expect(a).toBe(b)
    expect(a).toEqual({ key: [first], alg: 'hmac-sha256' })
  })

  it('refuses a secret without a string value, and answers 503 when Secrets Manager fails', async () => {
    const fake = { getRotating: async () => ({ current: { not: 'a string' } }) }
    await expect(secretsManagerHmacKey(fake, 'x')).rejects.toThrow('holds no string value')
    server.failNext('internal-error', 5)
    const secrets = createSecretsProvider({ client })
    const outcome = await invoke(
      { keys: () => secretsManagerHmacKey(secrets, 'svc/down'), now },
      signedTestRequest({}, { keyId: 'k', key: first, alg: 'hmac-sha256', now }),
    )
    expect(outcome.statusCode).toBe(503)
  })
})

describe('a signer that sees a rotation before the verifier does', () => {
  const third = 'third-secret-0123456789abcdefghijklmnopq'
  const fourth = 'fourth-secret-0123456789abcdefghijklmnop'

  /** A verifier whose provider has cached {second, first}; then Secrets Manager rotates to third. */
  async function rotatedBehindTheVerifier(secretId: string) {
    server.reset()
    server.putSecret(secretId, first)
    server.rotateSecret(secretId, second)
    let clock = 1_000
    const secrets = createSecretsProvider({ client, ttlMs: 300_000, now: () => clock })
    const options = {
      keys: (keyId: string) => (keyId === 'orders' ? secretsManagerHmacKey(secrets, secretId) : undefined),
      now,
    }
    const signed = (key: string) => signedTestRequest({}, { keyId: 'orders', key, alg: 'hmac-sha256', now })
    expect((await invoke(options, signed(second))).statusCode).toBe(200)
    server.rotateSecret(secretId, third)
    const readsBefore = server.requestCount
    return {
      options,
      signed,
      reads: () => server.requestCount - readsBefore,
      advance: (ms: number) => {
        clock += ms
      },
    }
  }

  it("rotation: a token signed with the new AWSCURRENT before the verifier's cache expires is accepted after one refetch", async () => {
    const { options, signed, reads } = await rotatedBehindTheVerifier('svc/rotating')
    expect((await invoke(options, signed(third))).statusCode).toBe(200)
    // AWSCURRENT changed, so AWSPREVIOUS is read again too: the value just replaced stays accepted.
    expect(reads()).toBe(2)
    expect((await invoke(options, signed(second))).statusCode).toBe(200)
    expect((await invoke(options, signed(first))).statusCode).toBe(401)
    expect((await invoke(options, signed(third))).statusCode).toBe(200)
    expect(reads()).toBe(2)
  })

  it('attack: bad signatures cause at most one Secrets Manager read per cooldown', async () => {
    const { options, signed, reads, advance } = await rotatedBehindTheVerifier('svc/attacked')
    for (let i = 0; i < 5; i++) expect((await invoke(options, signed(fourth))).statusCode).toBe(401)
    // One re-read of AWSCURRENT (it changed: AWSPREVIOUS is read along with it); none after that.
    expect(reads()).toBe(2)
    advance(29_999)
    expect((await invoke(options, signed(fourth))).statusCode).toBe(401)
    expect(reads()).toBe(2)
    advance(1)
    expect((await invoke(options, signed(fourth))).statusCode).toBe(401)
    // AWSCURRENT unchanged since the last read: one read, AWSPREVIOUS is kept.
    expect(reads()).toBe(3)
  })

  it('concurrent misses share one refetch', async () => {
    const { options, signed, reads } = await rotatedBehindTheVerifier('svc/concurrent')
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => invoke(options, signed(i % 2 === 0 ? third : fourth))),
    )
    expect(outcomes.map((outcome) => outcome.statusCode)).toEqual([200, 401, 200, 401, 200, 401, 200, 401])
    expect(reads()).toBe(2)
  })

  it('webhooks: a delivery signed with the new AWSCURRENT is accepted after one refetch', async () => {
    const { reads } = await rotatedBehindTheVerifier('svc/webhook')
    const secrets = createSecretsProvider({ client })
    const options = {
      profile: 'webhook' as const,
      keys: () => secretsManagerHmacKey(secrets, 'svc/webhook'),
      now,
    }
    const body = '{"type":"invoice.paid"}'
    const delivery = (secret: string) =>
      apiGatewayV2Event({
        method: 'POST',
        path: '/hook',
        headers: { 'stripe-signature': signWebhook(body, { secret, now }) },
        body,
      })
    server.rotateSecret('svc/webhook', fourth)
    expect((await invoke(options, delivery(third))).statusCode).toBe(200) // reads {fourth, third}
    server.rotateSecret('svc/webhook', first)
    expect((await invoke(options, delivery(first))).statusCode).toBe(200)
    expect((await invoke(options, delivery(fourth))).statusCode).toBe(200)
    expect((await invoke(options, delivery(third))).statusCode).toBe(401)
    expect(reads()).toBe(4)
  })

  it('a failing refetch keeps the 401 of a bad signature (no 503), and the cached keys keep verifying', async () => {
    const { options, signed, reads } = await rotatedBehindTheVerifier('svc/failing')
    server.failNext('internal-error', 5)
    expect((await invoke(options, signed(fourth))).statusCode).toBe(401)
    expect(reads()).toBe(1)
    expect((await invoke(options, signed(second))).statusCode).toBe(200)
    expect((await invoke(options, signed(third))).statusCode).toBe(401)
    expect(reads()).toBe(1)
  })
})
