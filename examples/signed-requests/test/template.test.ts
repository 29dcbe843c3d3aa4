import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { type IamStatement, readSamTemplate, type SamResource } from '@lift/testing'
import * as callee from '../src/callee'
import * as caller from '../src/caller'
import { CALLEE_ENVIRONMENT, CALLER_ENVIRONMENT } from '../src/config'

type Resource = SamResource
type Statement = IamStatement

const here = dirname(fileURLToPath(import.meta.url))
const template = readSamTemplate(join(here, '..', 'template.yaml'))

const resources = Object.entries(template.Resources)
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type)
const [[secretName]] = ofType('AWS::SecretsManager::Secret') as [[string, Resource]]
const [[tableName, table]] = ofType('AWS::DynamoDB::Table') as [[string, Resource]]
const functions = Object.fromEntries(ofType('AWS::Serverless::Function'))
const modules: Record<string, Record<string, unknown>> = { caller, callee }

function statementsOf(fn: Resource): Statement[] {
  return (fn.Properties.Policies as { Statement: Statement[] }[]).flatMap((policy) => policy.Statement)
}

describe('template.yaml', () => {
  it('declares two functions whose handlers and entry points exist in src/', () => {
    expect(Object.keys(functions).sort()).toEqual(['CalleeFunction', 'CallerFunction'])
    for (const fn of Object.values(functions)) {
      const [file, exported] = String(fn.Properties.Handler).split('.') as [string, string]
      expect(typeof modules[file]?.[exported]).toBe('function')
      expect(fn.Properties.CodeUri).toBe(`dist/${file}`) // pnpm package bundles src/<file>.ts there
    }
  })

  it('gives each function exactly the environment variables its code reads', () => {
    const variables = (name: string) =>
      (functions[name]!.Properties.Environment as { Variables: Record<string, unknown> }).Variables
    expect(Object.keys(variables('CallerFunction')).sort()).toEqual([...CALLER_ENVIRONMENT].sort())
    expect(Object.keys(variables('CalleeFunction')).sort()).toEqual([...CALLEE_ENVIRONMENT].sort())
    for (const name of ['CallerFunction', 'CalleeFunction']) {
      expect(variables(name).SIGNING_SECRET_ID).toEqual({ Ref: secretName })
    }
    expect(variables('CalleeFunction').NONCE_TABLE_NAME).toEqual({ Ref: tableName })
    // The callee's route on this stack's HTTP API (a CloudFormation !Sub, not a JS template).
    const apiName = ofType('AWS::Serverless::HttpApi')[0]![0]
    expect(variables('CallerFunction').CALLEE_URL).toEqual({
      'Fn::Sub': [
        'https://$',
        `{${apiName}}.execute-api.$`,
        '{AWS::Region}.$',
        '{AWS::URLSuffix}/orders',
      ].join(''),
    })
  })

  it('grants least privilege: GetSecretValue on the shared secret; PutItem on the nonce table for the callee only', () => {
    const readSecret = {
      Effect: 'Allow',
      Action: 'secretsmanager:GetSecretValue',
      Resource: { Ref: secretName },
    }
    expect(statementsOf(functions.CallerFunction!)).toEqual([readSecret])
    expect(statementsOf(functions.CalleeFunction!)).toEqual([
      readSecret,
      { Effect: 'Allow', Action: 'dynamodb:PutItem', Resource: { 'Fn::GetAtt': `${tableName}.Arn` } },
    ])
  })

  it('routes exactly the callee route to the callee; the caller has no public trigger', () => {
    const events = Object.values(
      functions.CalleeFunction!.Properties.Events as Record<
        string,
        { Type: string; Properties: { Method: string; Path: string } }
      >,
    )
    expect(events.map((e) => `${e.Type} ${e.Properties.Method} ${e.Properties.Path}`)).toEqual([
      `HttpApi ${callee.CALLEE_ROUTE}`,
    ])
    expect(functions.CallerFunction!.Properties.Events).toBeUndefined()
  })

  it('declares the nonce table as dynamoNonceStore needs it: pk string key, TTL on expiresAt, on demand', () => {
    expect(table.Properties).toEqual({
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    })
  })

  it('generates a shared secret long enough for HMAC-SHA256', () => {
    const secret = template.Resources[secretName]!.Properties.GenerateSecretString as {
      PasswordLength: number
    }
    expect(secret.PasswordLength).toBeGreaterThanOrEqual(32)
  })
})
