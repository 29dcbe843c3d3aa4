import { expect } from '@jest/globals'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'

/**
 * JSON Schema of the `application/health+json` document of draft-inadarei-api-health-check (section 3 and
 * 4): `status` is required; `checks` maps `componentName[:measurementName]` to an ARRAY of observations.
 * Stricter than the draft in one way: no unknown members, so that a typo in our output fails the test.
 */
export const healthResponseSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://lift.dev/schemas/health+json',
  type: 'object',
  required: ['status'],
  additionalProperties: false,
  properties: {
    status: { enum: ['pass', 'warn', 'fail'] },
    version: { type: 'string' },
    releaseId: { type: 'string' },
    notes: { type: 'array', items: { type: 'string' } },
    output: { type: 'string' },
    serviceId: { type: 'string' },
    description: { type: 'string' },
    links: { type: 'object', additionalProperties: { type: 'string', format: 'uri-reference' } },
    checks: {
      type: 'object',
      propertyNames: { pattern: '^[^:]+(:[^:]+)?$' },
      additionalProperties: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['status'],
          additionalProperties: false,
          properties: {
            componentId: { type: 'string' },
            componentType: { type: 'string' },
            observedValue: { type: ['number', 'string', 'boolean'] },
            observedUnit: { type: 'string' },
            status: { enum: ['pass', 'warn', 'fail'] },
            affectedEndpoints: { type: 'array', items: { type: 'string' } },
            time: { type: 'string', format: 'date-time' },
            output: { type: 'string' },
            links: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    },
  },
} as const

// ajv-formats is CommonJS with `exports.default`; under native ESM the default import is module.exports.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv) => Ajv
const ajv = addFormats(new Ajv({ allErrors: true, strict: true, allowUnionTypes: true }))
const validate = ajv.compile(healthResponseSchema)

/** Parses a health body, asserts it matches the draft's schema, and returns it. */
export function expectHealthJson(body: string): Record<string, unknown> {
  const document = JSON.parse(body) as unknown
  const valid = validate(document)
  expect(validate.errors ?? []).toEqual([])
  expect(valid).toBe(true)
  return document as Record<string, unknown>
}
