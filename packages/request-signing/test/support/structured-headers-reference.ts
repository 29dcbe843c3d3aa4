// The maintained `structured-headers` package as the reference for differential tests (a devDependency only;
// src never imports it). Both parse trees are brought to one comparable form.
import * as reference from 'structured-headers'
import {
  type BareItem,
  type Member,
  parseDictionary,
  parseItem,
  parseList,
  serializeDictionary,
  serializeItem,
  serializeList,
} from '../../src/structured-fields'

export type FieldType = 'list' | 'dictionary' | 'item'

/** Integers and decimals compare as numbers: structured-headers parses both to a JavaScript number. */
type Canonical = unknown

export interface Outcome {
  /** JSON of the canonical tree, or undefined when parsing failed. */
  tree: string | undefined
  /** Our / their serialization of what was parsed. */
  serialized: string | undefined
  /** RFC 9651 additions (Date, Display String) that RFC 8941 parsers refuse. */
  rfc9651Only: boolean
  /** A decimal with no fractional part, which structured-headers can only serialize as an integer. */
  wholeDecimal: boolean
}

function oursBare(bare: BareItem, flags: { wholeDecimal: boolean }): Canonical {
  switch (bare.type) {
    case 'integer':
      return ['n', bare.value]
    case 'decimal':
      if (Number.isInteger(bare.value)) flags.wholeDecimal = true
      return ['n', bare.value]
    case 'binary':
      return ['b', Buffer.from(bare.value).toString('base64')]
    case 'boolean':
      return ['?', bare.value]
    case 'string':
      return ['s', bare.value]
    case 'token':
      return ['t', bare.value]
  }
}

function oursParams(params: Map<string, BareItem>, flags: { wholeDecimal: boolean }): Canonical {
  return [...params].map(([key, value]) => [key, oursBare(value, flags)])
}

function oursMember(member: Member, flags: { wholeDecimal: boolean }): Canonical {
  if (member.kind === 'inner-list') {
    return ['inner', member.items.map((entry) => oursMember(entry, flags)), oursParams(member.params, flags)]
  }
  return ['item', oursBare(member.value, flags), oursParams(member.params, flags)]
}

/** Parses and re-serializes `input` with this package's parser. */
export function ours(type: FieldType, input: string): Outcome {
  const flags = { wholeDecimal: false }
  try {
    if (type === 'list') {
      const parsed = parseList(input)
      const tree = JSON.stringify(parsed.map((member) => oursMember(member, flags)))
      return { tree, serialized: serializeList(parsed), rfc9651Only: false, ...flags }
    }
    if (type === 'dictionary') {
      const parsed = parseDictionary(input)
      const tree = JSON.stringify([...parsed].map(([key, member]) => [key, oursMember(member, flags)]))
      return { tree, serialized: serializeDictionary(parsed), rfc9651Only: false, ...flags }
    }
    const parsed = parseItem(input)
    return {
      tree: JSON.stringify(oursMember(parsed, flags)),
      serialized: serializeItem(parsed),
      rfc9651Only: false,
      ...flags,
    }
  } catch {
    return { tree: undefined, serialized: undefined, rfc9651Only: false, wholeDecimal: false }
  }
}

type TheirBare = reference.BareItem
type TheirMember = reference.Item | reference.InnerList

function theirsBare(bare: TheirBare, flags: { rfc9651Only: boolean }): Canonical {
  if (typeof bare === 'number') return ['n', bare]
  if (typeof bare === 'string') return ['s', bare]
  if (typeof bare === 'boolean') return ['?', bare]
  if (bare instanceof reference.Token) return ['t', bare.toString()]
  if (bare instanceof reference.DisplayString || bare instanceof Date) {
    flags.rfc9651Only = true
    return ['rfc9651', String(bare)]
  }
  const bytes = ArrayBuffer.isView(bare)
    ? new Uint8Array(bare.buffer, bare.byteOffset, bare.byteLength)
    : new Uint8Array(bare)
  return ['b', Buffer.from(bytes).toString('base64')]
}

function theirsParams(params: reference.Parameters, flags: { rfc9651Only: boolean }): Canonical {
  return [...params].map(([key, value]) => [key, theirsBare(value, flags)])
}

function theirsMember(member: TheirMember, flags: { rfc9651Only: boolean }): Canonical {
  if (reference.isInnerList(member)) {
    return ['inner', member[0].map((entry) => theirsMember(entry, flags)), theirsParams(member[1], flags)]
  }
  return ['item', theirsBare(member[0], flags), theirsParams(member[1], flags)]
}

/** Parses and re-serializes `input` with structured-headers. */
export function theirs(type: FieldType, input: string): Outcome {
  const flags = { rfc9651Only: false }
  try {
    if (type === 'list') {
      const parsed = reference.parseList(input)
      const tree = JSON.stringify(parsed.map((member) => theirsMember(member, flags)))
      return { tree, serialized: reference.serializeList(parsed), wholeDecimal: false, ...flags }
    }
    if (type === 'dictionary') {
      const parsed = reference.parseDictionary(input)
      const tree = JSON.stringify([...parsed].map(([key, member]) => [key, theirsMember(member, flags)]))
      return { tree, serialized: reference.serializeDictionary(parsed), wholeDecimal: false, ...flags }
    }
    const parsed = reference.parseItem(input)
    return {
      tree: JSON.stringify(theirsMember(parsed, flags)),
      serialized: reference.serializeItem(parsed),
      wholeDecimal: false,
      ...flags,
    }
  } catch {
    return { tree: undefined, serialized: undefined, rfc9651Only: false, wholeDecimal: false }
  }
}

/**
 * Why the two disagree on `input`, or undefined when they agree: both refuse, or both accept with the same
 * tree and the same serialization (a whole-number decimal is compared by re-parsing, as structured-headers
 * writes `1.0` as `1`), and our serialization parses back to the same tree in both.
 */
export function disagreement(type: FieldType, input: string): string | undefined {
  const a = ours(type, input)
  const b = theirs(type, input)
  if (b.rfc9651Only) return a.tree === undefined ? undefined : 'accepted an RFC 9651-only value'
  if (a.tree === undefined && b.tree === undefined) return undefined
  if (a.tree === undefined) return 'only structured-headers accepts it'
  if (b.tree === undefined) return 'only ours accepts it'
  if (a.tree !== b.tree) return `trees differ: ${a.tree} vs ${b.tree}`
  if (!a.wholeDecimal && a.serialized !== b.serialized)
    return `serializations differ: ${a.serialized} vs ${b.serialized}`
  if (theirs(type, a.serialized as string).tree !== b.tree) return 'our serialization re-parses differently'
  if (ours(type, b.serialized as string).tree !== a.tree) return 'their serialization re-parses differently'
  return undefined
}
