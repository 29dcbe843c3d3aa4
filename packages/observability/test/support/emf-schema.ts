// JSON Schema of the CloudWatch Embedded Metric Format (the structured log that becomes metrics):
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
// Limits checked: at most 100 metrics per directive, 30 dimensions per set, and every metric name and
// dimension key present as a root member (metric values numbers or arrays of up to 100 numbers), and
// dimension values as CloudWatch takes them (API_Dimension): 1 to 1,024 characters, printable ASCII only,
// at least one that is not whitespace.
import { Ajv } from 'ajv'

const schema = {
  type: 'object',
  required: ['_aws'],
  properties: {
    _aws: {
      type: 'object',
      required: ['Timestamp', 'CloudWatchMetrics'],
      properties: {
        Timestamp: { type: 'integer', minimum: 0 },
        CloudWatchMetrics: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            required: ['Namespace', 'Dimensions', 'Metrics'],
            properties: {
              Namespace: { type: 'string', minLength: 1, maxLength: 1024 },
              Dimensions: {
                type: 'array',
                items: {
                  type: 'array',
                  maxItems: 30,
                  items: { type: 'string', minLength: 1, maxLength: 250 },
                },
              },
              Metrics: {
                type: 'array',
                minItems: 1,
                maxItems: 100,
                items: {
                  type: 'object',
                  required: ['Name'],
                  properties: {
                    Name: { type: 'string', minLength: 1, maxLength: 1024 },
                    Unit: { type: 'string' },
                    StorageResolution: { enum: [1, 60] },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
}

const validate = new Ajv({ allErrors: true }).compile(schema)

/** Errors of one EMF blob: schema violations, and metric names or dimension keys missing at the root. */
export function emfErrors(blob: Record<string, unknown>): string[] {
  if (!validate(blob)) return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`)
  const errors: string[] = []
  const directives = (
    blob._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] }
  ).CloudWatchMetrics
  for (const directive of directives) {
    for (const key of directive.Dimensions.flat()) {
      const value = blob[key]
      if (typeof value !== 'string') errors.push(`dimension ${key} is not a root string member`)
      else if (!isDimensionValue(value))
        errors.push(`dimension ${key} has an invalid value ${JSON.stringify(value)}`)
    }
    for (const { Name } of directive.Metrics) {
      const value = blob[Name]
      const ok =
        typeof value === 'number' ||
        (Array.isArray(value) && value.length <= 100 && value.every((v) => typeof v === 'number'))
      if (!ok) errors.push(`metric ${Name} has no numeric root value`)
    }
  }
  return errors
}

function isDimensionValue(value: string): boolean {
  return value.length >= 1 && value.length <= 1024 && /^[\x20-\x7e]+$/.test(value) && value.trim() !== ''
}
