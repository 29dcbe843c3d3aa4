import { describe, expect, it } from '@jest/globals'
import { createObjectSlot } from '../src/object-slot'

describe('createObjectSlot', () => {
  it('keeps one value per object identity', () => {
    const slot = createObjectSlot<string>()
    const a = {}
    const b = {}
    slot.set(a, 'a')
    expect(slot.get(a)).toBe('a')
    expect(slot.get(b)).toBeUndefined()
    slot.set(a, 'changed')
    expect(slot.get(a)).toBe('changed')
  })

  it('is invisible on the object: no keys, symbols, JSON, prototype change or equality difference', () => {
    const slot = createObjectSlot<number>()
    const target = { k: 1 }
    slot.set(target, 42)
    expect(Reflect.ownKeys(target)).toEqual(['k'])
    expect(JSON.stringify(target)).toBe('{"k":1}')
    expect(Object.getPrototypeOf(target)).toBe(Object.prototype)
    expect(target).toStrictEqual({ k: 1 })
  })

  it('cannot be forged or carried over by a copy (spread, Object.assign, structuredClone)', () => {
    const slot = createObjectSlot<boolean>()
    const original = { k: 1 }
    slot.set(original, true)
    for (const copy of [{ ...original }, Object.assign({}, original), structuredClone(original)]) {
      expect(slot.get(copy)).toBeUndefined()
    }
  })

  it('separates slots: a value in one is not seen by another', () => {
    const first = createObjectSlot<string>()
    const second = createObjectSlot<string>()
    const target = {}
    first.set(target, 'first')
    expect(second.get(target)).toBeUndefined()
  })

  it('still reads and writes after the object is frozen', () => {
    const slot = createObjectSlot<number>()
    const target = {}
    slot.set(target, 1)
    Object.freeze(target)
    slot.set(target, 2)
    expect(slot.get(target)).toBe(2)
  })

  it('holds values for objects that were frozen or sealed before their first set', () => {
    const slot = createObjectSlot<string>()
    const frozen = Object.freeze({})
    const sealed = Object.seal({})
    const closed = Object.preventExtensions({})
    slot.set(frozen, 'frozen')
    slot.set(sealed, 'sealed')
    slot.set(closed, 'closed')
    expect([slot.get(frozen), slot.get(sealed), slot.get(closed)]).toEqual(['frozen', 'sealed', 'closed'])
  })

  it('answers undefined for values that are not objects', () => {
    const slot = createObjectSlot<string>()
    for (const value of [null, undefined, 1, 'text', true]) {
      expect(slot.get(value as unknown as object)).toBeUndefined()
    }
  })
})
