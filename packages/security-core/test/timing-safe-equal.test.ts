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
  it('compares strings by code point, not by a lossy encoding (lone surrogates all encode as U+FFFD)', () => {
    expect(timingSafeEqual('key\uD800', 'key\uDBFF')).toBe(false)
    expect(timingSafeEqual('key\uD800', 'key\uFFFD')).toBe(false)
    expect(timingSafeEqual('key\uD800', Buffer.from('key\uFFFD'))).toBe(false)
    expect(timingSafeEqual('key\uD800', 'key\uD800')).toBe(true)
    expect(timingSafeEqual('key\uFFFD', Buffer.from('key\uFFFD'))).toBe(true)
    expect(timingSafeEqual('é', 'e\u0301')).toBe(false)
    expect(timingSafeEqual('ключ-🔑', 'ключ-🔑')).toBe(true)
    expect(timingSafeEqual('ключ-🔑', Buffer.from('ключ-🔑'))).toBe(true)
  })
  it('compares a view by its own bytes', () => {
    expect(timingSafeEqual(new Uint8Array([9, 1, 2]).subarray(1), new Uint8Array([1, 2]))).toBe(true)
  })
  it('loads ESM-only deps', () => {
    expect(typeof middy).toBe('function')
  })
})
