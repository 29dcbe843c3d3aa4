import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { iamStatements, readSamTemplate, resourcesOfType } from '@lift/testing'
import { ROUTES } from '../src/handler'

const here = dirname(fileURLToPath(import.meta.url))
const template = readSamTemplate(join(here, '..', 'template.yaml'))
const [[, fn]] = resourcesOfType(template, 'AWS::Serverless::Function') as [
  [string, (typeof template.Resources)[string]],
]
const tables = resourcesOfType(template, 'AWS::DynamoDB::Table')

describe('template.yaml', () => {
  it('declares exactly the routes the handler serves', () => {
    const events = Object.values(
      fn.Properties.Events as Record<string, { Properties: { Method: string; Path: string } }>,
    )
    expect(events.map((event) => `${event.Properties.Method} ${event.Properties.Path}`)).toEqual([...ROUTES])
  })

  it('has one table keyed by pk (the key src/tenants.ts computes), named to the function', () => {
    expect(tables).toHaveLength(1)
    const [tableName, table] = tables[0]!
    expect(table.Properties.KeySchema).toEqual([{ AttributeName: 'pk', KeyType: 'HASH' }])
    expect((fn.Properties.Environment as { Variables: unknown }).Variables).toEqual({
      TENANTS_TABLE: { Ref: tableName },
    })
  })

  it('grants exactly dynamodb:GetItem on the tenant table, the one call the issuer resolver makes', () => {
    const [tableName] = tables[0]!
    // A policy template (DynamoDBReadPolicy) would add Scan, Query and BatchGetItem: every tenant's row.
    expect(fn.Properties.Policies).toEqual([{ Statement: iamStatements(fn) }])
    expect(iamStatements(fn)).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': `${tableName}.Arn` } },
    ])
  })

  it('runs the bundle `pnpm --filter @lift/example-multi-tenant-issuers package` writes, on NodeRuntime', () => {
    expect(fn.Properties.CodeUri).toBe('dist/handler')
    expect(fn.Properties.Handler).toBe('handler.handler')
    expect(template.Globals.Function.Runtime).toEqual({ Ref: 'NodeRuntime' })
    expect(template.Parameters.NodeRuntime).toMatchObject({
      Default: 'nodejs22.x',
      AllowedValues: ['nodejs22.x', 'nodejs24.x'],
    })
  })

  it("keeps the tenant table (every tenant's identity provider) when the stack is deleted or it is replaced", () => {
    const [, table] = tables[0]!
    expect(table).toMatchObject({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' })
  })
})
