import { describe, expect, it } from '@jest/globals'
import { CONFIG_ENVIRONMENT, configFromEnv } from '../src/config'
import { ROUTES } from '../src/stack'
import { apiFunction, functions, ofType, statements, template } from './support/template'

describe('template.yaml', () => {
  it('declares one router function whose handler and entry point exist', async () => {
    expect(functions).toHaveLength(1)
    expect(apiFunction.Properties.Handler).toBe('handler.handler')
    // `pnpm --filter @lift/example-secure-crud-api package` bundles src/handler.ts there (@aws-sdk/* external).
    expect(apiFunction.Properties.CodeUri).toBe('dist/handler')
    const entry = await import('../src/handler')
    expect(typeof entry.handler).toBe('function')
  })

  it('routes exactly the API routes to it', () => {
    const events = Object.values(
      apiFunction.Properties.Events as Record<
        string,
        { Type: string; Properties: { Method: string; Path: string } }
      >,
    )
    expect(events.map((e) => `${e.Properties.Method} ${e.Properties.Path}`).sort()).toEqual(
      [...ROUTES].sort(),
    )
    expect(new Set(events.map((e) => e.Type))).toEqual(new Set(['HttpApi']))
  })

  it('sets exactly the environment variables the code reads', () => {
    const read = new Set<string>()
    const recording = new Proxy({} as Record<string, string | undefined>, {
      get(_target, name: string) {
        read.add(name)
        return {
          DATA_TABLE_NAME: 'd',
          GUARD_TABLE_NAME: 'g',
          TENANT_ISSUERS: '[{"tenantId":"t","issuer":"i","audience":"a","jwksUri":"https://x"}]',
        }[name]
      },
    })
    configFromEnv(recording)
    expect([...read].sort()).toEqual([...CONFIG_ENVIRONMENT].sort())
    const declared = {
      ...template.Globals.Function.Environment.Variables,
      ...(apiFunction.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
    }
    const powertools = ['POWERTOOLS_METRICS_NAMESPACE'] // read by Powertools Metrics, not by our code
    expect(Object.keys(declared).sort()).toEqual(
      [...CONFIG_ENVIRONMENT, ...powertools, 'NODE_OPTIONS'].sort(),
    )
  })

  it('declares the data table (pk/sk) and the guard table (pk) with TTL on expiresAt, on demand', () => {
    const tables = Object.fromEntries(ofType('AWS::DynamoDB::Table'))
    expect(Object.keys(tables).sort()).toEqual(['DataTable', 'GuardTable'])
    expect(tables.DataTable!.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    })
    expect(tables.GuardTable!.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    })
  })

  it("grants only named actions on this stack's own tables and secrets (no wildcards)", () => {
    for (const statement of statements()) {
      expect(statement.Effect).toBe('Allow')
      for (const action of [statement.Action].flat())
        expect(action).toMatch(/^(dynamodb|secretsmanager):[A-Za-z]+$/)
      expect(JSON.stringify(statement.Resource)).not.toContain('*')
    }
  })

  it('generates secrets long enough for HMAC-SHA256', () => {
    for (const [, secret] of ofType('AWS::SecretsManager::Secret')) {
      const generated = secret.Properties.GenerateSecretString as { PasswordLength: number }
      expect(generated.PasswordLength).toBeGreaterThanOrEqual(32)
    }
  })
})
