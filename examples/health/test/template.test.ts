import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { type IamStatement, readSamTemplate, type SamResource } from '@lift/testing'
import { HEALTH_ENVIRONMENT } from '../src/config'
import * as api from '../src/handler'
import * as scheduled from '../src/scheduled'

type Resource = SamResource
type Statement = IamStatement

const here = dirname(fileURLToPath(import.meta.url))
const template = readSamTemplate(join(here, '..', 'template.yaml'))

const resources = Object.entries(template.Resources)
const ofType = (type: string) => resources.filter(([, r]) => r.Type === type)
const [[secretName]] = ofType('AWS::SecretsManager::Secret') as [[string, Resource]]
const [[tableName]] = ofType('AWS::DynamoDB::Table') as [[string, Resource]]
const [[apiName]] = ofType('AWS::Serverless::HttpApi') as [[string, Resource]]
const functions = Object.fromEntries(ofType('AWS::Serverless::Function'))
const modules: Record<string, Record<string, unknown>> = { handler: api, scheduled }

type EventDefinition = { Type: string; Properties: Record<string, unknown> }
const eventsOf = (name: string) =>
  Object.values(functions[name]!.Properties.Events as Record<string, EventDefinition>)

describe('template.yaml', () => {
  it('declares two functions whose handlers and entry points exist in src/', () => {
    expect(Object.keys(functions).sort()).toEqual(['ApiFunction', 'ScheduledFunction'])
    for (const fn of Object.values(functions)) {
      const [file, exported] = String(fn.Properties.Handler).split('.') as [string, string]
      expect(typeof modules[file]?.[exported]).toBe('function')
      expect(fn.Properties.CodeUri).toBe(`dist/${file}`) // pnpm package bundles src/<file>.ts there
    }
  })

  it('gives both functions exactly the environment variables the code reads, pointing at this stack', () => {
    const variables = template.Globals.Function.Environment.Variables
    const { NODE_OPTIONS, ...read } = variables
    expect(NODE_OPTIONS).toBe('--enable-source-maps')
    expect(Object.keys(read).sort()).toEqual([...HEALTH_ENVIRONMENT].sort())
    expect(read.TABLE_NAME).toEqual({ Ref: tableName })
    expect(read.HEALTH_SECRET_ID).toEqual({ Ref: secretName })
    for (const fn of Object.values(functions)) expect(fn.Properties.Environment).toBeUndefined()
  })

  it('grants least privilege: DescribeTable on the table and GetSecretValue on the secret, nothing else', () => {
    const expected: Statement[] = [
      { Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: { 'Fn::GetAtt': `${tableName}.Arn` } },
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretName } },
    ]
    for (const fn of Object.values(functions)) {
      const statements = (fn.Properties.Policies as { Statement: Statement[] }[]).flatMap((p) => p.Statement)
      expect(statements).toEqual(expected)
    }
  })

  it('routes exactly the API routes of the code to the API function, on this stack’s HTTP API', () => {
    const routes = eventsOf('ApiFunction').map((event) => {
      expect(event.Type).toBe('HttpApi')
      expect(event.Properties.ApiId).toEqual({ Ref: apiName })
      return `${event.Properties.Method} ${event.Properties.Path}`
    })
    expect(routes.sort()).toEqual([...api.API_ROUTES].sort())
  })

  it('runs the scheduled function from a schedule rule, and gives it no HTTP route', () => {
    expect(eventsOf('ScheduledFunction')).toEqual([
      { Type: 'Schedule', Properties: { Schedule: 'rate(5 minutes)' } },
    ])
  })

  it('generates a secret long enough for detailsWhenHeader (at least 16 characters)', () => {
    const secret = template.Resources[secretName]!.Properties.GenerateSecretString as {
      PasswordLength: number
    }
    expect(secret.PasswordLength).toBeGreaterThanOrEqual(16)
  })

  it('keeps the health run inside the function timeout (default report deadline 3 s < 5 s)', () => {
    const timeout = (template.Globals.Function as unknown as { Timeout: number }).Timeout
    expect(timeout * 1000).toBeGreaterThan(3000 + 500)
  })
})
