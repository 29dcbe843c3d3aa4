// template.yaml parsed, for the tests that compare it with the code.

import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type IamStatement, readSamTemplate, type SamResource } from '@lift/testing'

type Resource = SamResource
type Statement = IamStatement

const here = dirname(fileURLToPath(import.meta.url))
export const template = readSamTemplate(join(here, '..', '..', 'template.yaml'))

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
