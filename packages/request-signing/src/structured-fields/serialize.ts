import {
  type BareItem,
  type Dictionary,
  type InnerList,
  type Item,
  type List,
  type Member,
  type Parameters,
  StructuredFieldError,
} from './types'

/** RFC 8941 §4.1: serializes a Dictionary. */
export function serializeDictionary(dictionary: Dictionary): string {
  const members: string[] = []
  for (const [key, member] of dictionary) {
    assertKey(key)
    if (member.kind === 'item' && member.value.type === 'boolean' && member.value.value) {
      members.push(key + serializeParameters(member.params))
    } else {
      members.push(`${key}=${serializeMember(member)}`)
    }
  }
  return members.join(', ')
}

/** RFC 8941 §4.1: serializes a List. */
export function serializeList(list: List): string {
  return list.map(serializeMember).join(', ')
}

export function serializeItem(value: Item): string {
  return serializeBareItem(value.value) + serializeParameters(value.params)
}

export function serializeInnerList(list: InnerList): string {
  return `(${list.items.map(serializeItem).join(' ')})${serializeParameters(list.params)}`
}

export function serializeMember(member: Member): string {
  return member.kind === 'inner-list' ? serializeInnerList(member) : serializeItem(member)
}

export function serializeParameters(params: Parameters): string {
  let result = ''
  for (const [key, value] of params) {
    assertKey(key)
    result += `;${key}`
    if (!(value.type === 'boolean' && value.value)) result += `=${serializeBareItem(value)}`
  }
  return result
}

export function serializeBareItem(bare: BareItem): string {
  switch (bare.type) {
    case 'integer':
      if (!Number.isInteger(bare.value) || Math.abs(bare.value) > 999_999_999_999_999) {
        throw new StructuredFieldError(`structured field: integer out of range: ${bare.value}`)
      }
      return String(bare.value)
    case 'decimal':
      return serializeDecimal(bare.value)
    case 'string':
      if (!/^[\x20-\x7e]*$/.test(bare.value)) {
        throw new StructuredFieldError('structured field: strings hold printable ASCII only')
      }
      return `"${bare.value.replace(/[\\"]/g, (char) => `\\${char}`)}"`
    case 'token':
      if (!/^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/.test(bare.value)) {
        throw new StructuredFieldError(`structured field: invalid token "${bare.value}"`)
      }
      return bare.value
    case 'binary':
      return `:${Buffer.from(bare.value).toString('base64')}:`
    case 'boolean':
      return bare.value ? '?1' : '?0'
  }
}

function serializeDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new StructuredFieldError('structured field: decimal must be finite')
  // Round half to even at three fractional digits, as RFC 8941 §4.1.5 asks.
  const scaled = value * 1000
  const floor = Math.floor(scaled)
  const diff = scaled - floor
  const rounded = diff > 0.5 || (diff === 0.5 && floor % 2 !== 0) ? floor + 1 : floor
  const integerPart = Math.trunc(Math.abs(rounded) / 1000)
  if (integerPart > 999_999_999_999) {
    throw new StructuredFieldError('structured field: decimal has more than 12 integer digits')
  }
  const sign = rounded < 0 ? '-' : ''
  const fraction = String(Math.abs(rounded) % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '')
  return `${sign}${integerPart}.${fraction === '' ? '0' : fraction}`
}

function assertKey(key: string): void {
  if (!/^[a-z*][a-z0-9_\-.*]*$/.test(key))
    throw new StructuredFieldError(`structured field: invalid key "${key}"`)
}
