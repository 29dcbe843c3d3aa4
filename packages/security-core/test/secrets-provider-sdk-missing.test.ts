import { describe, expect, it, jest } from '@jest/globals'

// Simulates an installation without the optional peer @aws-sdk/client-secrets-manager: importing it fails.
let importAttempts = 0
jest.unstable_mockModule('@aws-sdk/client-secrets-manager', () => {
  importAttempts += 1
  throw new Error("Cannot find package '@aws-sdk/client-secrets-manager'")
})

const { createSecretsProvider } = await import('../src/secrets-provider')

describe('createSecretsProvider without @aws-sdk/client-secrets-manager installed', () => {
  it('can be created (nothing is imported at creation)', () => {
    expect(() => createSecretsProvider()).not.toThrow()
    expect(importAttempts).toBe(0)
  })

  it('rejects the first get with a clear message that says what to install', async () => {
    const provider = createSecretsProvider()
    await expect(provider.get('db/password')).rejects.toMatchObject({
      name: 'SecretsProviderError',
      code: 'sdk-missing',
      secretId: 'db/password',
      message:
        'createSecretsProvider needs the optional peer dependency @aws-sdk/client-secrets-manager to get secret "db/password": install it',
    })
  })

  it('tries the import again on the next get instead of caching the failure', async () => {
    const provider = createSecretsProvider({ client: { send: async () => ({ SecretString: 'x' }) } })
    const before = importAttempts
    await expect(provider.get('a')).rejects.toMatchObject({ code: 'sdk-missing' })
    await expect(provider.get('a')).rejects.toMatchObject({ code: 'sdk-missing' })
    expect(importAttempts).toBe(before + 2)
  })
})
