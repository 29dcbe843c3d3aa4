import { readFileSync } from 'node:fs'
import { parseDocument, type Tags } from 'yaml'

/** A resource of an AWS SAM / CloudFormation template. */
export interface SamResource {
  Type: string
  Properties: Record<string, unknown>
  Metadata?: { BuildMethod?: string; BuildProperties?: Record<string, unknown> & { EntryPoints?: string[] } }
}

/**
 * The sections tests read. They are typed as present so that assertions stay short: a template without
 * one gives `undefined` there, and the assertion on it fails as it should.
 */
export interface SamTemplate {
  Transform: string
  Parameters: Record<string, { Type: string; Default?: unknown; Description?: string }>
  Globals: { Function: Record<string, unknown> & { Environment: { Variables: Record<string, unknown> } } }
  Resources: Record<string, SamResource>
  Outputs: Record<string, { Value: unknown; Description?: string }>
}

/** An IAM policy statement as SAM writes it under a function's `Policies`. */
export interface IamStatement {
  Effect: string
  Action: string | string[]
  Resource: unknown
}

// CloudFormation's short-form intrinsics, read as their long form: `!Ref X` → `{ Ref: 'X' }`,
// `!GetAtt T.Arn` → `{ 'Fn::GetAtt': 'T.Arn' }`, `!Sub …` → `{ 'Fn::Sub': … }` (and the other functions).
const INTRINSICS = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'Select',
  'Split',
  'If',
  'Equals',
  'Not',
  'And',
  'Or',
  'FindInMap',
  'ImportValue',
  'Base64',
  'Cidr',
  'GetAZs',
]
const customTags: Tags = INTRINSICS.flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    ...(collection === 'scalar' ? {} : { collection }),
    resolve: (value: unknown) => ({
      [name === 'Ref' ? 'Ref' : `Fn::${name}`]:
        typeof value === 'object' && value !== null && 'toJSON' in value
          ? (value as { toJSON(): unknown }).toJSON()
          : value,
    }),
  })),
)

/**
 * Reads an AWS SAM template (`template.yaml`) for tests that compare it with the code: handlers, routes,
 * environment variables, IAM statements. Throws with the YAML errors if the file does not parse.
 *
 * @example
 * ```ts
 * import { readSamTemplate } from '@lift/testing'
 *
 * const template = readSamTemplate('template.yaml')
 * // `!Ref OrdersTable` reads as { Ref: 'OrdersTable' }
 * const variables = template.Globals.Function.Environment.Variables
 * ```
 */
export function readSamTemplate(file: string): SamTemplate {
  const document = parseDocument(readFileSync(file, 'utf8'), { customTags })
  if (document.errors.length > 0)
    throw new Error(`readSamTemplate: ${file}: ${document.errors.map((error) => error.message).join('; ')}`)
  return document.toJS() as SamTemplate
}

/**
 * The template's resources of one type (`AWS::Serverless::Function`…), as [logical id, resource] pairs.
 *
 * @example
 * ```ts
 * import { readSamTemplate, resourcesOfType } from '@lift/testing'
 *
 * const template = readSamTemplate('template.yaml')
 * for (const [logicalId, fn] of resourcesOfType(template, 'AWS::Serverless::Function'))
 *   console.log(logicalId, fn.Properties.Handler)
 * ```
 */
export function resourcesOfType(template: SamTemplate, type: string): [string, SamResource][] {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type)
}

/**
 * Every IAM statement of a function's inline `Policies` (SAM policy templates are left out).
 *
 * @example
 * ```ts
 * import { iamStatements, readSamTemplate } from '@lift/testing'
 *
 * const template = readSamTemplate('template.yaml')
 * const actions = iamStatements(template.Resources.ApiFunction!).flatMap((statement) => statement.Action)
 * // e.g. ['dynamodb:UpdateItem', 'secretsmanager:GetSecretValue']
 * ```
 */
export function iamStatements(fn: SamResource): IamStatement[] {
  const policies = (fn.Properties.Policies ?? []) as unknown[]
  return policies.flatMap((policy) =>
    typeof policy === 'object' && policy !== null && 'Statement' in policy
      ? ((policy as { Statement: IamStatement[] }).Statement ?? [])
      : [],
  )
}
