import { describe, expect, it } from '@jest/globals'
import { runDemo } from '../src/demo'

describe('runDemo()', () => {
  it('runs into each limit and prints every burst', async () => {
    const printed: string[] = []
    const steps = await runDemo({ print: (line) => printed.push(line) })
    expect(steps.map((step) => [step.title, step.statuses])).toEqual([
      ['anonymous GET /public x11 (10/min per IP)', [...Array(10).fill(200), 429]],
      ['free plan GET /me x6 (burst 5)', [200, 200, 200, 200, 200, 429]],
      ['paid plan GET /me x6 (burst 20)', Array(6).fill(200)],
      ['paid plan POST /reports x4 (cost 5 each)', [202, 202, 429, 429]],
    ])
    expect(steps[0]!.retryAfter).toMatch(/^\d+$/)
    expect(steps[2]!.rateLimit).toMatch(/^"burst";r=14;t=\d+$/)
    expect(printed[0]).toMatch(/^API listening on http:\/\/127\.0\.0\.1:\d+/)
    expect(printed).toHaveLength(5)
  })
})
