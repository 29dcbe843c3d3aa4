import { describe, expect, it } from '@jest/globals'
import { median, quantile, relativeIqr } from '../src/stats'

describe('median and quantile', () => {
  it('take the middle of an odd count and the mean of the two middles of an even count', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('take the nearest rank below and leave the input unsorted', () => {
    const values = [5, 1, 4, 2, 3]
    expect(quantile(values, 0)).toBe(1)
    expect(quantile(values, 0.75)).toBe(4)
    expect(quantile(values, 1)).toBe(5)
    expect(values).toEqual([5, 1, 4, 2, 3])
  })

  it('refuse an empty list instead of returning undefined', () => {
    expect(() => median([])).toThrow('median of no values')
    expect(() => quantile([], 0.5)).toThrow('quantile of no values')
  })
})

describe('relativeIqr', () => {
  it('is the interquartile range over the median', () => {
    expect(relativeIqr([90, 95, 100, 105, 110])).toBeCloseTo((105 - 95) / 100)
  })

  it('is 0 for identical values and infinite for a single one (no spread measured yet)', () => {
    expect(relativeIqr([7, 7, 7])).toBe(0)
    expect(relativeIqr([7])).toBe(Number.POSITIVE_INFINITY)
  })
})
