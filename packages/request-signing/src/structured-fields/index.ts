export { type ParseDictionaryOptions, parseDictionary, parseItem, parseList } from './parse'
export {
  serializeBareItem,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  serializeList,
  serializeMember,
  serializeParameters,
} from './serialize'
export type { BareItem, Dictionary, InnerList, Item, List, Member, Parameters } from './types'
export { innerList, item, StructuredFieldError } from './types'
