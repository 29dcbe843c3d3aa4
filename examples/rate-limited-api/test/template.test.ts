import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { readSamTemplate, type SamResource } from '@lift/testing'
import { ENVIRONMENT } from '../src/config'
import * as handlerModule from '../src/handler'

type Resource = SamResource

const here = dirname(fileURLToPath(import.meta.url))
const template = readSamTemplate(join(here, '..', 'template.yaml'))
const resources = Object.entries(template.Resources)
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type)
const [[tableName, table]] = ofType('AWS::DynamoDB::Table') as [[string, Resource]]
const [[, fn]] = ofType('AWS::Serverless::Function') as [[string, Resource]]

describe('template.yaml', () => {
  it('declares one function whose handler and entry point exist in src/', () => {
    const [file, exported] = String(fn.Properties.Handler).split('.') as [string, string]
    expect(file).toBe('handler')
    expect(typeof (handlerModule as Record<string, unknown>)[exported]).toBe('function')
    expect(fn.Properties.CodeUri).toBe('dist/handler') // pnpm package bundles src/handler.ts there
  })

  it('gives the function exactly the environment variables its code reads, the table name from the table', () => {
    const variables = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables
    expect(Object.keys(variables).sort()).toEqual([...ENVIRONMENT].sort())
    expect(variables.RATE_LIMIT_TABLE_NAME).toEqual({ Ref: tableName })
  })

  it('grants least privilege: UpdateItem and GetItem on the rate-limit table only', () => {
    const statements = (fn.Properties.Policies as { Statement: unknown[] }[]).flatMap((p) => p.Statement)
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:UpdateItem', 'dynamodb:GetItem'],
        Resource: { 'Fn::GetAtt': `${tableName}.Arn` },
      },
    ])
  })

  it('routes exactly the handler routes to the function on the HTTP API', () => {
    const events = Object.values(
      fn.Properties.Events as Record<string, { Type: string; Properties: { Method: string; Path: string } }>,
    )
    expect(events.map((e) => `${e.Properties.Method} ${e.Properties.Path}`).sort()).toEqual(
      [...handlerModule.ROUTES].sort(),
    )
    expect(new Set(events.map((e) => e.Type))).toEqual(new Set(['HttpApi']))
  })

  it('declares the table as dynamoStore needs it: pk string key, TTL on expiresAt, on demand', () => {
    expect(table.Properties).toEqual({
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    })
  })
})
