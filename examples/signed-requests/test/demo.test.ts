import { describe, expect, it } from '@jest/globals'
import { runDemo } from '../src/demo'

describe('runDemo()', () => {
  it('shows a signed call accepted, its replay and a tampered body refused, and prints each answer', async () => {
    const printed: string[] = []
    const steps = await runDemo({ print: (line) => printed.push(line) })
    expect(steps.map((step) => [step.title, step.result.status])).toEqual([
      ['signed order', 201],
      ['the same request replayed', 401],
      ['body changed after signing', 401],
    ])
    expect(steps[0]!.result.body).toEqual({
      accepted: { orderId: 'o-1', amount: 10 },
      caller: 'orders-caller',
    })
    expect(printed[0]).toMatch(/^Callee listening on http:\/\/127\.0\.0\.1:\d+\/orders/)
    expect(printed.slice(1).map((line) => line.trim().slice(0, 3))).toEqual(['201', '401', '401'])
  })
})
