import { describe, expect, it } from '@jest/globals'
import { EARLY_RESPONSE_CLEANUP_KEYS, respondEarly } from '../src/index'

describe('respondEarly', () => {
  it('sets the response and runs every registered cleanup in order, Powertools first', async () => {
    const calls: string[] = []
    const request: { internal: Record<string, unknown>; response?: unknown } = {
      internal: {
        'lift.observability': async (r: { response?: unknown }) =>
          calls.push(`lift:${JSON.stringify(r.response)}`),
        'powertools-for-aws.metrics': () => calls.push('metrics'),
        'powertools-for-aws.logger': 'not a function',
        unrelated: () => calls.push('unrelated'),
      },
    }
    const response = { statusCode: 200 }
    await expect(respondEarly(request, response)).resolves.toBe(response)
    expect(request.response).toBe(response)
    expect(calls).toEqual(['metrics', 'lift:{"statusCode":200}'])
    expect(EARLY_RESPONSE_CLEANUP_KEYS.at(-1)).toBe('lift.observability')
  })

  it('a cleanup that throws does not change the answer, and later cleanups still run', async () => {
    const calls: string[] = []
    const request = {
      internal: {
        'powertools-for-aws.tracer': () => {
          throw new Error('flush failed')
        },
        'lift.observability': () => calls.push('lift'),
      },
    }
    await expect(respondEarly(request, 'ok')).resolves.toBe('ok')
    expect(calls).toEqual(['lift'])
  })

  it('works without request.internal', async () => {
    const request: { response?: unknown } = {}
    await expect(respondEarly(request, 1)).resolves.toBe(1)
    expect(request.response).toBe(1)
  })
})
