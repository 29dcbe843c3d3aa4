// template.yaml parsed, for the tests that compare it with the code.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseDocument, type Tags } from 'yaml'

// CloudFormation's short-form intrinsics; without them `yaml` reports "Unresolved tag".
const customTags: Tags = ['Ref', 'Sub', 'GetAtt'].map((name) => ({
  tag: `!${name}`,
  resolve: (value: string) => ({ [name === 'Ref' ? 'Ref' : `Fn::${name}`]: value }),
}))

export interface Resource {
  Type: string
  Properties: Record<string, unknown>
  Metadata?: { BuildProperties?: { EntryPoints?: string[]; External?: string[] } }
}

export interface Statement {
  Effect: string
  Action: string | string[]
  Resource: unknown
}

const here = dirname(fileURLToPath(import.meta.url))
export const template = parseDocument(readFileSync(join(here, '..', '..', 'template.yaml'), 'utf8'), {
  customTags,
}).toJS() as {
  Globals: { Function: { Environment: { Variables: Record<string, unknown> } } }
  Resources: Record<string, Resource>
}

export const resources = Object.entries(template.Resources)
export const ofType = (type: string) => resources.filter(([, r]) => r.Type === type)
export const functions = ofType('AWS::Serverless::Function')
export const [[, apiFunction]] = functions as [[string, Resource]]

/** The function's IAM statements. */
export function statements(): Statement[] {
  return (apiFunction.Properties.Policies as { Statement: Statement[] }[]).flatMap(
    (policy) => policy.Statement,
  )
}
