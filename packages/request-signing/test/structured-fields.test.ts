import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import {
  type BareItem,
  type Dictionary,
  type InnerList,
  type Item,
  innerList,
  item,
  type Member,
  parseDictionary,
  parseItem,
  parseList,
  StructuredFieldError,
  serializeBareItem,
  serializeDictionary,
  serializeItem,
  serializeList,
} from '../src/structured-fields'

const key = fc.stringMatching(/^[a-z*][a-z0-9_\-.*]{0,8}$/)
const bareItem: fc.Arbitrary<BareItem> = fc.oneof(
  fc
    .integer({ min: -999_999_999_999_999, max: 999_999_999_999_999 })
    .map((value) => ({ type: 'integer' as const, value })),
  fc
    .integer({ min: -999_999_999_999, max: 999_999_999_999 })
    .chain((int) => fc.integer({ min: 0, max: 999 }).map((frac) => int + Math.sign(int || 1) * (frac / 1000)))
    .map((value) => ({ type: 'decimal' as const, value: Number(value.toFixed(3)) })),
  fc.stringMatching(/^[\x20-\x7e]{0,12}$/).map((value) => ({ type: 'string' as const, value })),
  fc
    .stringMatching(/^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]{0,8}$/)
    .map((value) => ({ type: 'token' as const, value })),
  fc.uint8Array({ maxLength: 16 }).map((value) => ({ type: 'binary' as const, value })),
  fc.boolean().map((value) => ({ type: 'boolean' as const, value })),
)
const params = fc
  .uniqueArray(fc.tuple(key, bareItem), { maxLength: 3, selector: ([k]) => k })
  .map((pairs) => new Map(pairs))
const itemArb: fc.Arbitrary<Item> = fc.tuple(bareItem, params).map(([value, p]) => item(value, p))
const innerListArb: fc.Arbitrary<InnerList> = fc
  .tuple(fc.array(itemArb, { maxLength: 4 }), params)
  .map(([items, p]) => innerList(items, p))
const member: fc.Arbitrary<Member> = fc.oneof(itemArb, innerListArb)
const dictionary: fc.Arbitrary<Dictionary> = fc
  .uniqueArray(fc.tuple(key, member), { maxLength: 5, selector: ([k]) => k })
  .map((pairs) => new Map(pairs))

describe('structured fields (RFC 8941)', () => {
  it('parses a dictionary with inner lists, parameters and every bare item type', () => {
    const parsed = parseDictionary('a=1, b=("x" tok);p=?0, c=:aGk=:, d=-1.5, e, f=?0;q="s\\"t"')
    expect(parsed.get('a')).toEqual(item({ type: 'integer', value: 1 }))
    const b = parsed.get('b') as InnerList
    expect(b.items.map((i) => i.value)).toEqual([
      { type: 'string', value: 'x' },
      { type: 'token', value: 'tok' },
    ])
    expect(b.params.get('p')).toEqual({ type: 'boolean', value: false })
    expect(Buffer.from((parsed.get('c') as Item).value.value as Uint8Array).toString()).toBe('hi')
    expect(parsed.get('d')).toEqual(item({ type: 'decimal', value: -1.5 }))
    expect(parsed.get('e')).toEqual(item({ type: 'boolean', value: true }))
    expect((parsed.get('f') as Item).params.get('q')).toEqual({ type: 'string', value: 's"t' })
  })

  it('lets a later duplicate key win, or rejects it when asked', () => {
    expect(parseDictionary('a=1, a=2').get('a')).toEqual(item({ type: 'integer', value: 2 }))
    expect(() => parseDictionary('a=1, a=2', { rejectDuplicateKeys: true })).toThrow(StructuredFieldError)
  })

  it('a repeated dictionary key or parameter overwrites the value in place (RFC 8941 §4.2.2, §4.2.3.2)', () => {
    const dictionary = parseDictionary('a=1, b=2, a=3')
    expect([...dictionary.keys()]).toEqual(['a', 'b'])
    expect(dictionary.get('a')).toEqual(item({ type: 'integer', value: 3 }))
    expect(serializeDictionary(dictionary)).toBe('a=3, b=2')
    const params = parseItem('tok;x=1;y=2;x=3').params
    expect([...params]).toEqual([
      ['x', { type: 'integer', value: 3 }],
      ['y', { type: 'integer', value: 2 }],
    ])
  })

  it('accepts HTAB as optional whitespace around the commas of lists and dictionaries (RFC 8941 §4.2.1, §4.2.2)', () => {
    expect(parseList('a,\tb')).toEqual(parseList('a, b'))
    expect(parseList('a\t,\t\tb\t')).toEqual(parseList('a, b'))
    expect(parseDictionary('a=1,\tb=2')).toEqual(parseDictionary('a=1, b=2'))
  })

  it.each([
    ['\ta, b', 'leading HTAB (only SP is discarded first)'],
    ['(a\tb)', 'HTAB between inner list items'],
    ['"a\tb"', 'HTAB inside a string'],
    ['a;\tp=1', 'HTAB after a semicolon'],
    ['a,\t', 'trailing comma after HTAB'],
  ])('still rejects HTAB outside OWS: %j (%s)', (input) => {
    expect(() => parseList(input)).toThrow(StructuredFieldError)
  })

  it.each([':A:', ':AA=:', ':AAAA=:', ':A===:'])(
    'rejects the byte sequence %s (no whole byte, or padding that does not complete four characters)',
    (input) => {
      expect(() => parseItem(input)).toThrow(StructuredFieldError)
    },
  )

  it('accepts byte sequences with or without "=" padding', () => {
    for (const input of [':aGk=:', ':aGk:', ':aA==:', ':aA:', '::'])
      expect(() => parseItem(input)).not.toThrow()
  })

  it('parses lists and items, and empty fields', () => {
    expect(parseList('1, (2 3);x, "four"')).toHaveLength(3)
    expect(parseList('')).toEqual([])
    expect(parseDictionary('   ').size).toBe(0)
    expect(parseItem(' *tok;a=1 ')).toEqual(
      item({ type: 'token', value: '*tok' }, new Map([['a', { type: 'integer', value: 1 }]])),
    )
  })

  it.each([
    ['a=1,', 'trailing comma'],
    ['a=1 b=2', 'missing comma'],
    ['A=1', 'upper-case key'],
    ['a="unterminated', 'unterminated string'],
    ['a="bad\\escape"', 'bad escape'],
    ['a=:not base64!:', 'invalid base64'],
    ['a=:abc', 'unterminated byte sequence'],
    ['a=(1 2', 'unterminated inner list'],
    ['a=(1,2)', 'comma in inner list'],
    ['a=?2', 'bad boolean'],
    ['a=1.', 'decimal without fraction'],
    ['a=1.2345', 'too many fractional digits'],
    ['a=1234567890123456', 'integer too long'],
    ['a=1234567890123.5', 'decimal integer part too long'],
    ['a=-', 'minus without digit'],
    ['a=é', 'non-ASCII'],
    ['a=@', 'not a bare item'],
    ['a=1;B=2', 'upper-case parameter key'],
  ])('rejects %s (%s)', (input) => {
    expect(() => parseDictionary(input)).toThrow(StructuredFieldError)
  })

  it('rejects trailing characters after an item and non-string input', () => {
    expect(() => parseItem('1 2')).toThrow(StructuredFieldError)
    expect(() => parseItem(42 as unknown as string)).toThrow(StructuredFieldError)
  })

  it('serializes decimals with round-half-even and at least one fractional digit', () => {
    expect(serializeBareItem({ type: 'decimal', value: 1 })).toBe('1.0')
    expect(serializeBareItem({ type: 'decimal', value: 0.0125 })).toBe('0.012')
    expect(serializeBareItem({ type: 'decimal', value: -2.5 })).toBe('-2.5')
    expect(() => serializeBareItem({ type: 'decimal', value: 1e13 })).toThrow(StructuredFieldError)
    expect(() => serializeBareItem({ type: 'decimal', value: Number.NaN })).toThrow(StructuredFieldError)
  })

  it('refuses to serialize values that are not structured', () => {
    expect(() => serializeBareItem({ type: 'integer', value: 1e16 })).toThrow(StructuredFieldError)
    expect(() => serializeBareItem({ type: 'string', value: 'new\nline' })).toThrow(StructuredFieldError)
    expect(() => serializeBareItem({ type: 'token', value: '1abc' })).toThrow(StructuredFieldError)
    expect(() => serializeDictionary(new Map([['Bad', item({ type: 'integer', value: 1 })]]))).toThrow(
      StructuredFieldError,
    )
  })

  it('property: serialize → parse → serialize is stable for dictionaries', () => {
    fc.assert(
      fc.property(dictionary, (dict) => {
        const text = serializeDictionary(dict)
        expect(serializeDictionary(parseDictionary(text))).toBe(text)
      }),
    )
  })

  it('property: parse(serialize(x)) equals x for items and lists', () => {
    fc.assert(
      fc.property(itemArb, (value) => {
        expect(parseItem(serializeItem(value))).toEqual(value)
      }),
    )
    fc.assert(
      fc.property(fc.array(member, { maxLength: 4 }), (list) => {
        expect(parseList(serializeList(list))).toEqual(list)
      }),
    )
  })

  it('property: arbitrary text either parses or throws StructuredFieldError, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        try {
          parseDictionary(text)
          parseList(text)
        } catch (error) {
          expect(error).toBeInstanceOf(StructuredFieldError)
        }
      }),
    )
  })
})
