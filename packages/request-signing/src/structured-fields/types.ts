/** RFC 8941 bare items, tagged so that integers and decimals, strings and tokens stay distinct. */
export type BareItem =
  | { readonly type: 'integer'; readonly value: number }
  | { readonly type: 'decimal'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'token'; readonly value: string }
  | { readonly type: 'binary'; readonly value: Uint8Array }
  | { readonly type: 'boolean'; readonly value: boolean }

export type Parameters = Map<string, BareItem>

export interface Item {
  readonly kind: 'item'
  readonly value: BareItem
  readonly params: Parameters
}

export interface InnerList {
  readonly kind: 'inner-list'
  readonly items: Item[]
  readonly params: Parameters
}

export type Member = Item | InnerList
export type Dictionary = Map<string, Member>
export type List = Member[]

/** Thrown for any text that is not a valid structured field, and for values that cannot be serialized. */
export class StructuredFieldError extends SyntaxError {
  override readonly name = 'StructuredFieldError'
}

export function item(value: BareItem, params: Parameters = new Map()): Item {
  return { kind: 'item', value, params }
}

export function innerList(items: Item[], params: Parameters = new Map()): InnerList {
  return { kind: 'inner-list', items, params }
}
