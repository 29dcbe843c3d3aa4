import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { readSamTemplate } from '@lift/testing'
import { ROUTES } from '../src/handler'

const here = dirname(fileURLToPath(import.meta.url))
const template = readSamTemplate(join(here, '..', 'template.yaml'))
const [functionName, fn] = Object.entries(template.Resources).find(
  ([, r]) => r.Type === 'AWS::Serverless::Function',
)!
const secretNames = Object.entries(template.Resources)
  .filter(([, r]) => r.Type === 'AWS::SecretsManager::Secret')
  .map(([name]) => name)
const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
// Which secret is which: the one each environment variable names.
const secretName = (variables.JWT_SECRET_ID as { Ref: string }).Ref
const serviceSecretName = (variables.SERVICE_SIGNING_SECRET_ID as { Ref: string }).Ref
// The environment variables src/config.ts reads (JWKS_URI is the alternative to JWT_SECRET_ID).
const READ_BY_CONFIG = [
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_SECRET_ID',
  'SERVICE_KEY_ID',
  'SERVICE_SIGNING_SECRET_ID',
]

describe('template.yaml', () => {
  it('declares exactly the routes the handler serves', () => {
    const events = Object.values(
      fn.Properties.Events as Record<string, { Properties: { Method: string; Path: string } }>,
    )
    const declared = events
      .map((event) => `${event.Properties.Method.toUpperCase()} ${event.Properties.Path}`)
      .sort()
    expect(declared).toEqual([...ROUTES].sort())
  })

  it('gives the function exactly the variables its configuration reads, and read access to its two secrets only', () => {
    expect(Object.keys(variables).sort()).toEqual([...READ_BY_CONFIG].sort())
    expect(secretNames.sort()).toEqual([secretName, serviceSecretName].sort())
    expect(secretName).not.toBe(serviceSecretName)
    expect(variables.SERVICE_KEY_ID).toEqual({ Ref: 'ServiceKeyId' })
    expect(template.Parameters.ServiceKeyId?.Type).toBe('String')
    expect(fn.Properties.Policies).toEqual([
      { AWSSecretsManagerGetSecretValuePolicy: { SecretArn: { Ref: secretName } } },
      { AWSSecretsManagerGetSecretValuePolicy: { SecretArn: { Ref: serviceSecretName } } },
    ])
    expect(functionName).toBe('JwtFunction')
  })

  it('generates secrets long enough for HS256 and HMAC-SHA256', () => {
    for (const name of [secretName, serviceSecretName]) {
      const secret = template.Resources[name]!.Properties.GenerateSecretString as { PasswordLength: number }
      expect(secret.PasswordLength).toBeGreaterThanOrEqual(32)
    }
  })
})
