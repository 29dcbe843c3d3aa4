import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { disagreement, type FieldType, ours, theirs } from './support/structured-headers-reference'

// Differential test against the maintained `structured-headers` package (devDependency only).
const RUNS = 400
const SEED = 9421

// RFC 8941 §3 examples, by field type.
const RFC_EXAMPLES: readonly [FieldType, string][] = [
  ['list', 'sugar, tea, rum'],
  ['list', '("foo" "bar"), ("baz"), ("bat" "one"), ()'],
  ['list', '("foo"; a=1;b=2);lvl=5, ("bar" "baz");lvl=1'],
  ['list', 'abc;a=1;b=2; cde_456, (ghi;jk=4 l);q="9";r=w'],
  ['list', ''],
  ['dictionary', 'en="Applepie", da=:w4ZibGV0w6ZydGU=:'],
  ['dictionary', 'a=?0, b, c; foo=bar'],
  ['dictionary', 'rating=1.5, feelings=(joy sadness)'],
  ['dictionary', 'a=(1 2), b=3, c=4;aa=bb, d=(5 6);valid'],
  ['dictionary', 'foo=1, bar=2'],
  ['item', '5; foo=bar'],
  ['item', '42'],
  ['item', '4.5'],
  ['item', '"hello world"'],
  ['item', 'foo123/456'],
  ['item', ':cHJldGVuZCB0aGlzIGlzIGJpbmFyeSBjb250ZW50Lg==:'],
  ['item', '?1'],
  ['item', '1; a; b=?0'],
]

// Edge cases around this issue: HTAB as OWS, repeated keys, padding, whole-number decimals.
const EDGE_CASES: readonly [FieldType, string][] = [
  ['list', 'a,\tb'],
  ['list', 'a\t,\t\tb'],
  ['list', 'a, b\t'],
  ['list', '\ta, b'],
  ['list', 'a,\t'],
  ['list', '(a\tb)'],
  ['list', '"a\tb"'],
  ['list', 'a;\tp=1'],
  ['dictionary', 'a=1,\tb=2'],
  ['dictionary', 'a=1, b=2, a=3'],
  ['dictionary', 'a=1, b=2, a'],
  ['dictionary', 'a;x=1;y=2;x=3'],
  ['dictionary', 'a=\t1'],
  ['dictionary', 'a=:A:'],
  ['dictionary', 'a=:AA=:'],
  ['dictionary', 'a=:AA:'],
  ['dictionary', 'a=:AAA=:'],
  ['dictionary', 'a=:AAAA=:'],
  ['item', '1.0'],
  ['item', '-0.0'],
  ['item', '1\t'],
  ['item', '@1659578233'],
  ['item', '%"caf%c3%a9"'],
]

const ows = fc.stringMatching(/^[ \t]{0,2}$/)
const sp = fc.stringMatching(/^ {0,2}$/)
const sp1 = fc.stringMatching(/^ {1,2}$/)
// A small pool makes repeated keys frequent.
const key = fc.oneof(
  fc.constantFrom('a', 'b', 'c', '*k', 'k-1', 'k.2', 'k_3'),
  fc.stringMatching(/^[a-z*][a-z0-9_\-.*]{0,6}$/),
)
const digits = (min: number, max: number) => fc.stringMatching(new RegExp(`^[0-9]{${min},${max}}$`))
const bareItem = fc.oneof(
  fc.tuple(fc.constantFrom('', '-'), digits(1, 15)).map(([sign, d]) => sign + d),
  fc.tuple(fc.constantFrom('', '-'), digits(1, 12), digits(1, 3)).map(([sign, i, f]) => `${sign}${i}.${f}`),
  fc.stringMatching(/^[\x20-\x7e]{0,10}$/).map((s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`),
  fc.stringMatching(/^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]{0,8}$/),
  fc.tuple(fc.uint8Array({ maxLength: 12 }), fc.boolean()).map(([bytes, padded]) => {
    const encoded = Buffer.from(bytes).toString('base64')
    return `:${padded ? encoded : encoded.replace(/=+$/, '')}:`
  }),
  fc.constantFrom('?0', '?1'),
)
const params = fc
  .array(
    fc
      .tuple(sp, key, fc.option(bareItem, { nil: undefined }))
      .map(([s, k, v]) => `;${s}${k}${v === undefined ? '' : `=${v}`}`),
    { maxLength: 3 },
  )
  .map((list) => list.join(''))
const itemText = fc.tuple(bareItem, params).map(([b, p]) => b + p)
const innerListText = fc
  .tuple(sp, fc.array(itemText, { maxLength: 4 }), sp1, sp, params)
  .map(([lead, items, gap, trail, p]) => `(${lead}${items.join(gap)}${items.length > 0 ? trail : ''})${p}`)
const memberText = fc.oneof(itemText, innerListText)
const separated = (members: fc.Arbitrary<string[]>) =>
  fc
    .tuple(sp, members, fc.array(fc.tuple(ows, ows), { minLength: 8, maxLength: 8 }), ows)
    .map(([lead, list, gaps, trail]) => {
      let text = lead
      list.forEach((member, index) => {
        if (index > 0) text += `${gaps[index % 8]?.[0]},${gaps[index % 8]?.[1]}`
        text += member
      })
      return list.length > 0 ? text + trail : text
    })
const listText = separated(fc.array(memberText, { maxLength: 5 }))
const dictionaryText = separated(
  fc.array(
    fc.oneof(
      fc.tuple(key, memberText).map(([k, m]) => `${k}=${m}`),
      fc.tuple(key, params).map(([k, p]) => k + p),
    ),
    { maxLength: 5 },
  ),
)
const validInput: fc.Arbitrary<[FieldType, string]> = fc.oneof(
  listText.map((text) => ['list', text] as [FieldType, string]),
  dictionaryText.map((text) => ['dictionary', text] as [FieldType, string]),
  fc.tuple(sp, itemText, sp).map(([a, text, b]) => ['item', a + text + b] as [FieldType, string]),
)
// One edit of a valid input (insert, replace or delete a character, or cut the text short).
const troublesome = fc.constantFrom(...'\t ,;=()":?\\-.*@%/é\x00\x7fAz09'.split(''))
const mutatedInput: fc.Arbitrary<[FieldType, string]> = fc
  .tuple(validInput, fc.nat(), troublesome, fc.constantFrom('insert', 'replace', 'delete', 'cut'))
  .map(([[type, text], at, char, edit]) => {
    const i = text.length === 0 ? 0 : at % text.length
    if (edit === 'insert') return [type, text.slice(0, i) + char + text.slice(i)]
    if (edit === 'replace') return [type, text.slice(0, i) + char + text.slice(i + 1)]
    if (edit === 'delete') return [type, text.slice(0, i) + text.slice(i + 1)]
    return [type, text.slice(0, i)]
  })

function disagreements(inputs: Iterable<[FieldType, string]>): string[] {
  const found: string[] = []
  for (const [type, input] of inputs) {
    const why = disagreement(type, input)
    if (why !== undefined) found.push(`${type} ${JSON.stringify(input)}: ${why}`)
  }
  return found
}

describe('structured fields: differential test against structured-headers', () => {
  it('agrees on every RFC 8941 example (parse and serialize)', () => {
    expect(disagreements(RFC_EXAMPLES)).toEqual([])
    for (const [type, input] of RFC_EXAMPLES) expect(ours(type, input).tree).toBeDefined()
  })

  it('agrees on HTAB after commas, repeated keys, base64 padding and RFC 9651-only values', () => {
    expect(disagreements(EDGE_CASES)).toEqual([])
    expect(ours('list', 'a,\tb').tree).toBe(theirs('list', 'a, b').tree)
    expect(ours('dictionary', 'a=1, b=2, a=3').serialized).toBe('a=3, b=2')
    expect(ours('item', '@1659578233').tree).toBeUndefined()
  })

  it(`0 disagreements on ${RUNS} generated valid lists, dictionaries and items`, () => {
    const samples = fc.sample(validInput, { numRuns: RUNS, seed: SEED })
    expect(disagreements(samples)).toEqual([])
    // Generated inputs are valid: both accept every one of them.
    expect(samples.filter(([type, text]) => ours(type, text).tree === undefined)).toEqual([])
  })

  it(`0 disagreements on ${RUNS} mutated inputs, and both refuse the invalid ones`, () => {
    const samples = fc.sample(mutatedInput, { numRuns: RUNS, seed: SEED })
    expect(disagreements(samples)).toEqual([])
    const refused = samples.filter(([type, text]) => ours(type, text).tree === undefined)
    // The mutations do produce invalid input, which both parsers refuse (checked above).
    expect(refused.length).toBeGreaterThan(RUNS / 5)
  })

  it('property: 0 disagreements on arbitrary ASCII text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<FieldType>('list', 'dictionary', 'item'),
        fc.stringMatching(/^[\t\x20-\x7e]{0,24}$/),
        (type, text) => disagreement(type, text) === undefined,
      ),
      { numRuns: RUNS, seed: SEED },
    )
  })
})
