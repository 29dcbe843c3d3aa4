import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { parseDocument, type Tags } from 'yaml'
import { ROUTES } from '../src/handler'

// CloudFormation's short-form intrinsics; without them `yaml` reports "Unresolved tag".
const customTags: Tags = ['Ref', 'Sub', 'GetAtt'].map((name) => ({
  tag: `!${name}`,
  resolve: (value: string) => ({ [name === 'Ref' ? 'Ref' : `Fn::${name}`]: value }),
}))

interface Resource {
  Type: string
  Properties: Record<string, unknown>
}

const here = dirname(fileURLToPath(import.meta.url))
const template = parseDocument(readFileSync(join(here, '..', 'template.yaml'), 'utf8'), {
  customTags,
}).toJS() as {
  Resources: Record<string, Resource>
}
const [functionName, fn] = Object.entries(template.Resources).find(
  ([, r]) => r.Type === 'AWS::Serverless::Function',
)!
const secretName = Object.entries(template.Resources).find(
  ([, r]) => r.Type === 'AWS::SecretsManager::Secret',
)![0]

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

  it('gives the function the secret id and read access to that secret only', () => {
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
    expect(variables.JWT_SECRET_ID).toEqual({ Ref: secretName })
    expect(variables).toHaveProperty('JWT_ISSUER')
    expect(variables).toHaveProperty('JWT_AUDIENCE')
    expect(fn.Properties.Policies).toEqual([
      { AWSSecretsManagerGetSecretValuePolicy: { SecretArn: { Ref: secretName } } },
    ])
    expect(functionName).toBe('JwtFunction')
  })

  it('generates a secret long enough for HS256', () => {
    const secret = template.Resources[secretName]!.Properties.GenerateSecretString as {
      PasswordLength: number
    }
    expect(secret.PasswordLength).toBeGreaterThanOrEqual(32)
  })
})
