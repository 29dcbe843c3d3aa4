// A secret id that is not set (an unset environment variable reads as undefined) is rejected before any
// request, with a message naming the call and the argument and saying what arrived.
import { describe, expect, it } from '@jest/globals'
import { createSecretsProvider } from '../src/index'

const UNSET = 'LIFT_TEST_UNSET_SECRET_ID'
delete process.env[UNSET]

/** A client that fails the test if the provider ever sends a request. */
function noRequests() {
  const sent: unknown[] = []
  return { sent, client: { send: async (command: unknown) => void sent.push(command) } }
}

describe('secrets provider: an unset secretId names the call and argument', () => {
  it('get with an unset env var for secretId rejects naming get and secretId, without a request', async () => {
    const { sent, client } = noRequests()
    const secrets = createSecretsProvider({ client })
    await expect(secrets.get(process.env[UNSET]!)).rejects.toThrow(
      'get: secretId must be a non-empty string (a secret name or ARN), got undefined; an unset environment variable reads as undefined',
    )
    await expect(secrets.get(null as never)).rejects.toThrow(
      'get: secretId must be a non-empty string (a secret name or ARN), got null',
    )
    await expect(secrets.getRotating('')).rejects.toThrow('got an empty string')
    await expect(secrets.get(42 as never)).rejects.toThrow('got a number')
    expect(sent).toEqual([])
  })

  it('prefetch with an unset env var among the ids names secretIds[1]', async () => {
    const { sent, client } = noRequests()
    const secrets = createSecretsProvider({ client })
    const error = await secrets.prefetch(['prod/api-key', process.env[UNSET]!]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as TypeError).message).toMatch(
      /^prefetch \(secretIds\[1\]\): secretId must be a non-empty string/,
    )
    expect(sent).toEqual([])
  })
})
