import type { SignableRequest } from './message'
import {
  type InnerList,
  type Item,
  parseDictionary,
  parseItem,
  parseList,
  serializeDictionary,
  serializeInnerList,
  serializeItem,
  serializeList,
  serializeMember,
} from './structured-fields'

/** The RFC 8941 type of a structured field: item, list or dictionary. */
export type StructuredFieldType = 'item' | 'list' | 'dictionary'

/** Fields whose structured type RFC 9421 verifiers must know for `;sf` and `;key`. */
export const KNOWN_STRUCTURED_FIELDS: Readonly<Record<string, StructuredFieldType>> = Object.freeze({
  'content-digest': 'dictionary',
  'repr-digest': 'dictionary',
  'want-content-digest': 'dictionary',
  'signature-input': 'dictionary',
  signature: 'dictionary',
  'accept-signature': 'dictionary',
  priority: 'dictionary',
  'cache-status': 'list',
  'proxy-status': 'list',
  'client-cert': 'item',
})

/**
 * Options of `createSignatureBase()`: which covered fields are structured fields (serialized strictly).
 * @example
 * ```ts
 * import { createSignatureBase, type SignableRequest, structuredFields } from '@lift/request-signing'
 *
 * const dict = 'a=1, b=2;x=1;y=2, c=(a b c)'
 * const request: SignableRequest = {
 *   method: 'POST',
 *   scheme: 'https',
 *   authority: 'example.com',
 *   path: '/foo',
 *   query: '',
 *   fieldValues: (name) => (name === 'example-dict' ? [dict] : undefined),
 * }
 * const [signatureParams] = structuredFields.parseList('("example-dict";sf);created=1618884473')
 * createSignatureBase(request, signatureParams as structuredFields.InnerList, {
 *   structuredFields: { 'example-dict': 'dictionary' },
 * })
 * ```
 */
export interface SignatureBaseOptions {
  structuredFields?: Readonly<Record<string, StructuredFieldType>>
}

/** Why a component could not be put into the signature base. */
export class SignatureBaseError extends Error {
  override readonly name = 'SignatureBaseError'
}

/**
 * RFC 9421 §2.5: the signature base for `signatureParams` (the inner list of covered components with the
 * signature parameters), ending with the `@signature-params` line and no trailing newline.
 * @example
 * ```ts
 * import { createSignatureBase, type SignableRequest, structuredFields } from '@lift/request-signing'
 *
 * const request: SignableRequest = {
 *   method: 'GET',
 *   scheme: 'https',
 *   authority: 'example.com',
 *   path: '/a',
 *   query: '',
 *   fieldValues: () => undefined,
 * }
 * const [signatureParams] = structuredFields.parseList('("@method" "@target-uri");created=1618884473;keyid="k1"')
 * const base = createSignatureBase(request, signatureParams as structuredFields.InnerList)
 * // '"@method": GET\n"@target-uri": https://example.com/a\n"@signature-params": ("@method" "@target-uri");created=…'
 * ```
 */
export function createSignatureBase(
  request: SignableRequest,
  signatureParams: InnerList,
  options: SignatureBaseOptions = {},
): string {
  const lines: string[] = []
  const seen = new Set<string>()
  for (const component of signatureParams.items) {
    if (component.value.type !== 'string')
      throw new SignatureBaseError('a component identifier must be a string')
    const identifier = serializeItem(component)
    if (seen.has(identifier)) throw new SignatureBaseError(`component ${identifier} is covered twice`)
    seen.add(identifier)
    for (const value of componentValues(request, component, options)) {
      if (/[\r\n]/.test(value)) throw new SignatureBaseError(`component ${identifier} holds a line break`)
      lines.push(`${identifier}: ${value}`)
    }
  }
  lines.push(`"@signature-params": ${serializeInnerList(signatureParams)}`)
  return lines.join('\n')
}

function componentValues(request: SignableRequest, component: Item, options: SignatureBaseOptions): string[] {
  const name = component.value.value as string
  if (name.startsWith('@')) return [derivedComponent(request, name, component)]
  if (name !== name.toLowerCase()) throw new SignatureBaseError(`field name "${name}" must be lower-case`)
  return [fieldComponent(request, name, component, options)]
}

const ALLOWED_DERIVED_PARAMS = new Set(['name'])
const ALLOWED_FIELD_PARAMS = new Set(['sf', 'key'])

function derivedComponent(request: SignableRequest, name: string, component: Item): string {
  for (const param of component.params.keys()) {
    if (!ALLOWED_DERIVED_PARAMS.has(param) || name !== '@query-param') {
      throw new SignatureBaseError(`unsupported parameter ";${param}" on ${name}`)
    }
  }
  switch (name) {
    case '@method':
      return request.method
    case '@target-uri':
      // RFC 9421 §2.2.2 and RFC 3986 §6.2.3: the same host normalization as @authority (§2.2.3).
      return `${request.scheme.toLowerCase()}://${normalizedAuthority(request)}${requestTarget(request)}`
    case '@authority':
      return normalizedAuthority(request)
    case '@scheme':
      return request.scheme.toLowerCase()
    case '@request-target':
      return requestTarget(request)
    case '@path':
      return request.path === '' ? '/' : request.path
    case '@query':
      return `?${request.query}`
    case '@query-param':
      return queryParam(request, component)
    default:
      throw new SignatureBaseError(`unsupported derived component ${name}`)
  }
}

function requestTarget(request: SignableRequest): string {
  const path = request.path === '' ? '/' : request.path
  return request.query === '' ? path : `${path}?${request.query}`
}

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443' }

function normalizedAuthority(request: SignableRequest): string {
  const authority = request.authority.toLowerCase()
  const defaultPort = DEFAULT_PORTS[request.scheme.toLowerCase()]
  return defaultPort !== undefined && authority.endsWith(`:${defaultPort}`)
    ? authority.slice(0, -(defaultPort.length + 1))
    : authority
}

function queryParam(request: SignableRequest, component: Item): string {
  const nameParam = component.params.get('name')
  if (nameParam?.type !== 'string')
    throw new SignatureBaseError('@query-param needs a string ;name parameter')
  const values: string[] = []
  for (const [name, value] of new URLSearchParams(request.query)) {
    if (percentEncode(name) === nameParam.value) values.push(percentEncode(value))
  }
  // RFC 9421 §2.2.8: a name that occurs more than once cannot be signed unambiguously.
  if (values.length !== 1) {
    throw new SignatureBaseError(`@query-param "${nameParam.value}" must occur exactly once`)
  }
  return values[0] as string
}

const UNRESERVED = /[A-Za-z0-9*\-._]/

/** application/x-www-form-urlencoded re-encoding, with spaces as %20 as RFC 9421 §2.2.8 shows. */
function percentEncode(value: string): string {
  let result = ''
  for (const char of value) {
    if (UNRESERVED.test(char)) result += char
    else
      for (const byte of Buffer.from(char, 'utf8'))
        result += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return result
}

function fieldComponent(
  request: SignableRequest,
  name: string,
  component: Item,
  options: SignatureBaseOptions,
): string {
  for (const param of component.params.keys()) {
    if (!ALLOWED_FIELD_PARAMS.has(param))
      throw new SignatureBaseError(`unsupported parameter ";${param}" on "${name}"`)
  }
  const lines = request.fieldValues(name)
  if (lines === undefined || lines.length === 0) throw new SignatureBaseError(`field "${name}" is absent`)
  const combined = lines.map((line) => line.trim()).join(', ')
  const key = component.params.get('key')
  const strict = component.params.has('sf') || key !== undefined
  if (!strict) return combined
  const type = options.structuredFields?.[name] ?? KNOWN_STRUCTURED_FIELDS[name]
  if (type === undefined) throw new SignatureBaseError(`field "${name}" is not a known structured field`)
  if (key !== undefined) {
    if (type !== 'dictionary' || key.type !== 'string')
      throw new SignatureBaseError(`;key needs a dictionary field`)
    const member = parseDictionary(combined).get(key.value)
    if (member === undefined) throw new SignatureBaseError(`"${name}" has no member "${key.value}"`)
    return serializeMember(member)
  }
  if (type === 'dictionary') return serializeDictionary(parseDictionary(combined))
  if (type === 'list') return serializeList(parseList(combined))
  return serializeItem(parseItem(combined))
}
