// A key or secret that is not there (most often an unset environment variable) is a configuration error at
// construction, naming the factory and the option, instead of a crash deep inside the key import
// ("Invalid value used as weak map key") or, for webhooks, a signature made with an empty HMAC key.
import { describe, expect, it } from '@jest/globals'
import { createSecretsProvider } from '@lift/security-core'
import { secretsManagerHmacKey, signRequest, signWebhook, verifySignature } from '../src/index'
import { createKeyLookup } from '../src/keys'
import { invoke } from './support/harness'
import { hmacSign, now } from './support/keys'
import { signedTestRequest } from './support/signed-test-request'

const UNSET = 'LIFT_TEST_UNSET_SIGNING_KEY'
delete process.env[UNSET]
const secret = 'a-real-hmac-secret-of-at-least-32-bytes'
const request = { method: 'POST', url: 'https://api.example.com/orders', headers: {}, body: '{}' }

/** The TypeError `run` throws (fails the test when it does not throw one). */
function typeErrorOf(run: () => unknown): TypeError {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError)
    return error as TypeError
  }
  throw new Error('expected a TypeError')
}

describe('a missing key or secret is a construction error naming the option', () => {
  it('verifySignature with an unset env var for a key is a construction error naming keys["svc-a"].key', () => {
    const error = typeErrorOf(() =>
      verifySignature({ keys: { 'svc-a': { key: process.env[UNSET]!, alg: 'hmac-sha256' } } }),
    )
    expect(error.message).toMatch(/^verifySignature: keys\["svc-a"\]\.key is undefined — set it to /)
    expect(error.message).toContain('HMAC secret')
    expect(error.message).not.toContain('weak map')
  })

  it('verifySignature with an unset env var as the whole entry names keys["svc-a"]', () => {
    const error = typeErrorOf(() => verifySignature({ keys: { 'svc-a': process.env[UNSET] as never } }))
    expect(error.message).toMatch(/^verifySignature: keys\["svc-a"\] is undefined — set it to \{ key, alg \}/)
  })

  it.each([
    ['null', null, 'is null'],
    ['an empty string', '', 'is an empty string'],
    ['empty bytes', new Uint8Array(0), 'is empty (0 bytes)'],
    ['a number', 42, 'is a number, not a key'],
  ])('verifySignature with %s as a key names keys["svc-a"].key', (_name, key, problem) => {
    const error = typeErrorOf(() =>
      verifySignature({ keys: { 'svc-a': { key: key as never, alg: 'hmac-sha256' } } }),
    )
    expect(error.message).toContain(`verifySignature: keys["svc-a"].key ${problem}`)
  })

  it('verifySignature names the unset element of a rotation list and does not echo the key that is set', () => {
    const error = typeErrorOf(() =>
      verifySignature({ keys: { 'svc-a': { key: [secret, process.env[UNSET]!], alg: 'hmac-sha256' } } }),
    )
    expect(error.message).toContain('verifySignature: keys["svc-a"].key[1] is undefined')
    expect(error.message).not.toContain(secret)
  })

  it('verifySignature with an unset public key names the key the algorithm needs', () => {
    const error = typeErrorOf(() =>
      verifySignature({ keys: { partner: { key: process.env[UNSET]!, alg: 'ed25519' } } }),
    )
    expect(error.message).toContain('verifySignature: keys["partner"].key is undefined')
    expect(error.message).toContain('Ed25519 public key')
  })

  it('a keys resolver entry without its key is rejected naming keys("svc-a").key (and answered 503)', async () => {
    const resolver = () => ({ key: process.env[UNSET]!, alg: 'hmac-sha256' as const })
    await expect(createKeyLookup(resolver, 'verifySignature')('svc-a')).rejects.toThrow(
      'verifySignature: keys("svc-a").key is undefined — set it to the shared HMAC secret',
    )
    const outcome = await invoke({ keys: resolver, now }, signedTestRequest({ body: '{}' }, hmacSign))
    expect(outcome.statusCode).toBe(503)
  })

  it('signRequest with an unset env var for key throws naming key', () => {
    const error = typeErrorOf(() =>
      signRequest(request, { keyId: 'orders-caller', key: process.env[UNSET]!, alg: 'hmac-sha256' }),
    )
    expect(error.message).toMatch(/^signRequest: key is undefined — set it to the shared HMAC secret/)
    expect(
      typeErrorOf(() => signRequest(request, { keyId: 'partner', key: '', alg: 'ecdsa-p256-sha256' }))
        .message,
    ).toMatch(/^signRequest: key is an empty string — set it to your P-256 private key/)
  })

  it('signWebhook with an unset secret throws naming secret', () => {
    const error = typeErrorOf(() => signWebhook('{}', { secret: process.env[UNSET]! }))
    expect(error.message).toMatch(/^signWebhook: secret is undefined — set it to /)
    expect(typeErrorOf(() => signWebhook('{}', { secret: [secret, process.env[UNSET]!] })).message).toContain(
      'signWebhook: secret[1] is undefined',
    )
  })

  it('signWebhook with an empty secret no longer signs with a zero-length HMAC key (forgeable by anyone)', () => {
    expect(typeErrorOf(() => signWebhook('{}', { secret: '' })).message).toContain(
      'signWebhook: secret is an empty string',
    )
  })

  it('secretsManagerHmacKey with an unset secretId rejects naming secretId', async () => {
    const secrets = createSecretsProvider({ client: { send: async () => ({}) } })
    await expect(secretsManagerHmacKey(secrets, process.env[UNSET]!)).rejects.toThrow(
      /^secretsManagerHmacKey: secretId is undefined — set it to the secret's name or ARN/,
    )
  })
})
