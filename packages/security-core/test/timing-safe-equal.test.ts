import { describe, expect, it } from '@jest/globals'
import middy from '@middy/core'
import { timingSafeEqual } from '../src/index'

describe('timingSafeEqual', () => {
  it('is true for equal strings and buffers', () => {
    expect(timingSafeEqual('secret', 'secret')).toBe(true)
    expect(timingSafeEqual(Buffer.from('secret'), 'secret')).toBe(true)
  })
  it('is false for different values and lengths', () => {
    expect(timingSafeEqual('secret', 'secreT')).toBe(false)
    expect(timingSafeEqual('secret', 'secret1')).toBe(false)
    expect(timingSafeEqual('', 'a')).toBe(false)
  })
  it('loads ESM-only deps', () => {
    expect(typeof middy).toBe('function')
  })
})
