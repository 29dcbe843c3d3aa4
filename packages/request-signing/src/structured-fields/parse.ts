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

export interface ParseDictionaryOptions {
  /** RFC 8941 lets a later duplicate key replace the earlier one; security headers should reject it. */
  rejectDuplicateKeys?: boolean
}

/** RFC 8941 §4.2: parses a Dictionary field value. */
export function parseDictionary(input: string, options: ParseDictionaryOptions = {}): Dictionary {
  const parser = new Parser(input)
  const dictionary: Dictionary = new Map()
  parser.skipSP()
  if (parser.done()) return dictionary
  for (;;) {
    const key = parser.parseKey()
    let member: Member
    if (parser.peek() === '=') {
      parser.advance()
      member = parser.parseItemOrInnerList()
    } else {
      member = { kind: 'item', value: { type: 'boolean', value: true }, params: parser.parseParameters() }
    }
    if (options.rejectDuplicateKeys === true && dictionary.has(key)) parser.fail(`duplicate key "${key}"`)
    // RFC 8941 §4.2.2: a repeated key overwrites the value where the key first appeared.
    dictionary.set(key, member)
    if (!parser.afterListMember()) return dictionary
  }
}

/** RFC 8941 §4.2: parses a List field value. */
export function parseList(input: string): List {
  const parser = new Parser(input)
  const list: List = []
  parser.skipSP()
  if (parser.done()) return list
  for (;;) {
    list.push(parser.parseItemOrInnerList())
    if (!parser.afterListMember()) return list
  }
}

/** RFC 8941 §4.2: parses an Item field value. */
export function parseItem(input: string): Item {
  const parser = new Parser(input)
  parser.skipSP()
  const parsed = parser.parseItem()
  parser.skipSP()
  if (!parser.done()) parser.fail('unexpected characters after the item')
  return parsed
}

const DIGIT = /[0-9]/
const STAR = 0x2a
const TOKEN_START = /[A-Za-z*]/
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/
const BASE64 = /^[A-Za-z0-9+/]*$/

class Parser {
  #index = 0
  readonly #input: string

  constructor(input: string) {
    if (typeof input !== 'string') throw new StructuredFieldError('structured field: input must be a string')
    this.#input = input
    // HTAB is allowed only as OWS around the commas of lists and dictionaries (RFC 8941 §4.2.1, §4.2.2);
    // anywhere else it fails where it is met.
    for (let i = 0; i < input.length; i += 1) {
      const code = input.charCodeAt(i)
      if ((code < 0x20 && code !== 0x09) || code > 0x7e) this.fail('non-ASCII or control character')
    }
  }

  fail(message: string): never {
    throw new StructuredFieldError(`structured field: ${message} at offset ${this.#index}`)
  }

  done(): boolean {
    return this.#index >= this.#input.length
  }

  peek(): string {
    return this.#input.charAt(this.#index)
  }

  advance(): string {
    const char = this.#input.charAt(this.#index)
    this.#index += 1
    return char
  }

  skipSP(): void {
    while (this.peek() === ' ') this.#index += 1
  }

  skipOWS(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.#index += 1
  }

  /** After a list or dictionary member: true when another member follows. */
  afterListMember(): boolean {
    this.skipOWS()
    if (this.done()) return false
    if (this.advance() !== ',') this.fail('expected ","')
    this.skipOWS()
    if (this.done()) this.fail('trailing ","')
    return true
  }

  parseItemOrInnerList(): Member {
    return this.peek() === '(' ? this.parseInnerList() : this.parseItem()
  }

  parseInnerList(): InnerList {
    this.advance()
    const items: Item[] = []
    while (!this.done()) {
      this.skipSP()
      if (this.peek() === ')') {
        this.advance()
        return { kind: 'inner-list', items, params: this.parseParameters() }
      }
      items.push(this.parseItem())
      const next = this.peek()
      if (next !== ' ' && next !== ')') this.fail('expected " " or ")" in an inner list')
    }
    return this.fail('unterminated inner list')
  }

  parseItem(): Item {
    const value = this.parseBareItem()
    return { kind: 'item', value, params: this.parseParameters() }
  }

  parseParameters(): Parameters {
    const params: Parameters = new Map()
    while (this.peek() === ';') {
      this.advance()
      this.skipSP()
      const key = this.parseKey()
      let value: BareItem = { type: 'boolean', value: true }
      if (this.peek() === '=') {
        this.advance()
        value = this.parseBareItem()
      }
      // RFC 8941 §4.2.3.2: overwritten in place, like dictionary keys.
      params.set(key, value)
    }
    return params
  }

  parseKey(): string {
    const first = this.#input.charCodeAt(this.#index)
    if (!isLcAlpha(first) && first !== STAR) this.fail('a key must start with a lower-case letter or "*"')
    const start = this.#index
    while (this.#index < this.#input.length && isKeyChar(this.#input.charCodeAt(this.#index)))
      this.#index += 1
    return this.#input.slice(start, this.#index)
  }

  parseBareItem(): BareItem {
    const char = this.peek()
    if (char === '-' || DIGIT.test(char)) return this.parseNumber()
    if (char === '"') return this.parseString()
    if (char === ':') return this.parseByteSequence()
    if (char === '?') return this.parseBoolean()
    if (char !== '' && TOKEN_START.test(char)) return this.parseToken()
    return this.fail('expected a bare item')
  }

  parseNumber(): BareItem {
    let sign = 1
    if (this.peek() === '-') {
      this.advance()
      sign = -1
    }
    if (!DIGIT.test(this.peek())) this.fail('expected a digit')
    let digits = ''
    let isDecimal = false
    while (!this.done()) {
      const char = this.peek()
      if (DIGIT.test(char)) digits += this.advance()
      else if (char === '.' && !isDecimal) {
        if (digits.length > 12) this.fail('too many integer digits in a decimal')
        isDecimal = true
        digits += this.advance()
      } else break
      if (!isDecimal && digits.length > 15) this.fail('integer too long')
      if (isDecimal && digits.length > 16) this.fail('decimal too long')
    }
    if (!isDecimal) return { type: 'integer', value: sign * Number.parseInt(digits, 10) }
    if (digits.endsWith('.')) this.fail('a decimal needs a fractional digit')
    if (digits.length - digits.indexOf('.') - 1 > 3) this.fail('more than three fractional digits')
    return { type: 'decimal', value: sign * Number.parseFloat(digits) }
  }

  parseString(): BareItem {
    this.advance()
    let value = ''
    let start = this.#index
    while (!this.done()) {
      const char = this.#input.charAt(this.#index)
      if (char === '\\') {
        value += this.#input.slice(start, this.#index)
        this.#index += 1
        const escaped = this.advance()
        if (escaped !== '"' && escaped !== '\\') this.fail('invalid escape in a string')
        value += escaped
        start = this.#index
      } else if (char === '"') {
        value += this.#input.slice(start, this.#index)
        this.#index += 1
        return { type: 'string', value }
      } else if (char === '\t') {
        this.fail('a string holds printable ASCII only')
      } else {
        this.#index += 1
      }
    }
    return this.fail('unterminated string')
  }

  parseToken(): BareItem {
    const start = this.#index
    while (this.#index < this.#input.length && TOKEN_CHAR.test(this.#input.charAt(this.#index)))
      this.#index += 1
    return { type: 'token', value: this.#input.slice(start, this.#index) }
  }

  parseByteSequence(): BareItem {
    this.advance()
    const end = this.#input.indexOf(':', this.#index)
    if (end === -1) this.fail('unterminated byte sequence')
    const encoded = this.#input.slice(this.#index, end)
    if (!isBase64(encoded)) this.fail('invalid base64 in a byte sequence')
    this.#index = end + 1
    return { type: 'binary', value: new Uint8Array(Buffer.from(encoded, 'base64')) }
  }

  parseBoolean(): BareItem {
    this.advance()
    const char = this.advance()
    if (char === '1') return { type: 'boolean', value: true }
    if (char === '0') return { type: 'boolean', value: false }
    return this.fail('a boolean is ?0 or ?1')
  }
}

/**
 * RFC 8941 §4.2.7 with RFC 4648 §3.2: "=" padding may be missing, but when present it completes a multiple
 * of four characters; one character left over encodes no byte (the forgiving-base64 rule of `atob`).
 */
function isBase64(encoded: string): boolean {
  let data = encoded
  if (data.length % 4 === 0) data = data.replace(/={1,2}$/, '')
  return BASE64.test(data) && data.length % 4 !== 1
}

function isLcAlpha(code: number): boolean {
  return code >= 0x61 && code <= 0x7a
}

// lcalpha / DIGIT / "_" / "-" / "." / "*"
function isKeyChar(code: number): boolean {
  return (
    isLcAlpha(code) ||
    (code >= 0x30 && code <= 0x39) ||
    code === 0x5f ||
    code === 0x2d ||
    code === 0x2e ||
    code === STAR
  )
}
