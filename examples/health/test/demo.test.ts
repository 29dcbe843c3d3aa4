import { describe, expect, it } from '@jest/globals'
import { runDemo } from '../src/demo'

describe('runDemo()', () => {
  it('shows liveness, the anonymous and detailed reports, and a warn once the upstream is down', async () => {
    const printed: string[] = []
    const steps = await runDemo({ print: (line) => printed.push(line) })
    expect(steps.map((step) => [step.title, step.status, (step.body as { status: string }).status])).toEqual([
      ['GET /health/live', 200, 'pass'],
      ['GET /health, anonymous', 200, 'pass'],
      ['GET /health with x-health-secret', 200, 'pass'],
      ['GET /health with the upstream down (not critical: warn)', 200, 'warn'],
      ['GET /health/ready with the upstream down', 200, 'warn'],
    ])
    expect(steps[1]!.body).toEqual({ status: 'pass' })
    expect(Object.keys((steps[2]!.body as { checks: object }).checks)).toEqual([
      'dynamodb:responseTime',
      'secretsmanager:responseTime',
      'upstream:responseTime',
      'memory:utilization',
    ])
    expect(printed[0]).toMatch(/^API listening on http:\/\/127\.0\.0\.1:\d+ /)
    expect(printed).toHaveLength(6)
  })
})
