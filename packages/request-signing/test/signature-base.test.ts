import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { signableFromUrl } from '../src/message'
import { createSignatureBase, SignatureBaseError } from '../src/signature-base'
import { innerList, item, parseDictionary, parseItem, serializeInnerList } from '../src/structured-fields'

function covered(...components: string[]) {
  return innerList(
    components.map((c) => (c.startsWith('"') ? parseItem(c) : item({ type: 'string', value: c }))),
    new Map([['created', { type: 'integer', value: 1 }]]),
  )
}

function base(
  url: string,
  components: string[],
  headers: Record<string, string | string[]> = {},
  method = 'GET',
) {
  return createSignatureBase(signableFromUrl(method, url, headers), covered(...components))
}

describe('signature base (RFC 9421 §2)', () => {
  it('derives @method, @target-uri, @authority, @scheme, @path, @query and @request-target (RFC 9421 §2.2 examples)', () => {
    const lines = base(
      'https://www.example.com:443/path?param=value',
      ['@method', '@target-uri', '@authority', '@scheme', '@path', '@query', '@request-target'],
      {},
      'post',
    ).split('\n')
    expect(lines).toEqual([
      '"@method": POST',
      '"@target-uri": https://www.example.com/path?param=value',
      '"@authority": www.example.com',
      '"@scheme": https',
      '"@path": /path',
      '"@query": ?param=value',
      '"@request-target": /path?param=value',
      '"@signature-params": ("@method" "@target-uri" "@authority" "@scheme" "@path" "@query" "@request-target");created=1',
    ])
  })

  it('keeps a non-default port in @authority and gives "?" for an empty @query', () => {
    expect(base('http://Example.com:8080/', ['@authority', '@query', '@request-target'])).toBe(
      '"@authority": example.com:8080\n"@query": ?\n"@request-target": /\n"@signature-params": ("@authority" "@query" "@request-target");created=1',
    )
  })

  it.each([
    ['https', 'API.Example.COM'],
    ['https', 'api.example.com:443'],
    ['HTTPS', 'Api.Example.com:443'],
    ['http', 'api.example.com:80'],
  ])(
    'normalizes the host of @target-uri like @authority (%s, Host %s; RFC 9421 §1.3, §2.2.2)',
    (scheme, host) => {
      const request = { ...signableFromUrl('GET', 'https://x/orders?id=7'), scheme, authority: host }
      const lower = scheme.toLowerCase()
      expect(
        createSignatureBase(request, covered('@target-uri', '@authority')).split('\n').slice(0, 2),
      ).toEqual([`"@target-uri": ${lower}://api.example.com/orders?id=7`, '"@authority": api.example.com'])
    },
  )

  it('keeps a non-default port in @target-uri', () => {
    const request = { ...signableFromUrl('GET', 'https://x/'), authority: 'API.example.com:8443' }
    expect(createSignatureBase(request, covered('@target-uri'))).toMatch(
      /^"@target-uri": https:\/\/api\.example\.com:8443\/\n/,
    )
  })

  it('re-encodes @query-param names and values (RFC 9421 §2.2.8 example)', () => {
    const url =
      'https://example.com/parameters?var=this%20is%20a%20big%0Avalue&bar=with+plus+whitespace&fa%C3%A7ade%22%3A%20=something'
    expect(
      base(url, [
        '"@query-param";name="var"',
        '"@query-param";name="bar"',
        '"@query-param";name="fa%C3%A7ade%22%3A%20"',
      ])
        .split('\n')
        .slice(0, 3),
    ).toEqual([
      '"@query-param";name="var": this%20is%20a%20big%0Avalue',
      '"@query-param";name="bar": with%20plus%20whitespace',
      '"@query-param";name="fa%C3%A7ade%22%3A%20": something',
    ])
  })

  it('rejects @query-param that is absent, repeated or has no name', () => {
    expect(() => base('https://a.example/?x=1&x=2', ['"@query-param";name="x"'])).toThrow(SignatureBaseError)
    expect(() => base('https://a.example/', ['"@query-param";name="x"'])).toThrow(SignatureBaseError)
    expect(() => base('https://a.example/?x=1', ['@query-param'])).toThrow(SignatureBaseError)
  })

  it('combines repeated header lines with ", " after trimming (RFC 9421 §2.1)', () => {
    expect(base('https://a.example/', ['x-list'], { 'X-List': ['  a ', 'b,  c'] })).toMatch(
      /^"x-list": a, b, {2}c\n/,
    )
  })

  it('re-serializes structured fields with ;sf and picks dictionary members with ;key (RFC 9421 §2.1.1, §2.1.2)', () => {
    const headers = {
      'example-dict': ' a=1,    b=2;x=1;y=2,   c=(a   b   c)',
      'content-digest': 'sha-256=:AAAA:',
    }
    const lines = createSignatureBase(
      signableFromUrl('GET', 'https://a.example/', headers),
      covered('"example-dict";sf', '"example-dict";key="b"', '"example-dict";key="c"', '"content-digest";sf'),
      { structuredFields: { 'example-dict': 'dictionary' } },
    ).split('\n')
    expect(lines.slice(0, 3)).toEqual([
      '"example-dict";sf: a=1, b=2;x=1;y=2, c=(a b c)',
      '"example-dict";key="b": 2;x=1;y=2',
      '"example-dict";key="c": (a b c)',
    ])
    const custom = createSignatureBase(
      signableFromUrl('GET', 'https://a.example/', { 'x-item': ' 5 ', 'x-list': 'a,   b' }),
      covered('"x-item";sf', '"x-list";sf'),
      { structuredFields: { 'x-item': 'item', 'x-list': 'list' } },
    )
    expect(custom.split('\n').slice(0, 2)).toEqual(['"x-item";sf: 5', '"x-list";sf: a, b'])
  })

  it('fails closed on anything it cannot represent exactly', () => {
    expect(() => base('https://a.example/', ['"x";sf'], { x: '1' })).toThrow('not a known structured field')
    expect(() =>
      base('https://a.example/', ['"content-digest";key="z"'], { 'content-digest': 'a=1' }),
    ).toThrow(SignatureBaseError)
    expect(() => base('https://a.example/', ['"x-item";key="z"'], { 'x-item': '1' })).toThrow(
      SignatureBaseError,
    )
    expect(() => base('https://a.example/', ['"content-type";bs'], { 'content-type': 'a' })).toThrow(
      'unsupported parameter',
    )
    expect(() => base('https://a.example/', ['"@method";req'])).toThrow('unsupported parameter')
    expect(() => base('https://a.example/', ['@status'])).toThrow('unsupported derived component')
    expect(() => base('https://a.example/', ['absent'])).toThrow('absent')
    expect(() => base('https://a.example/', ['Upper'], { upper: 'x' })).toThrow('lower-case')
    expect(() => base('https://a.example/', ['@method', '@method'])).toThrow('covered twice')
    expect(() =>
      createSignatureBase(
        signableFromUrl('GET', 'https://a.example/'),
        innerList([item({ type: 'token', value: 'x' })]),
      ),
    ).toThrow('must be a string')
  })

  it('serializes a Headers object and ignores undefined values', () => {
    const headers = new Headers({ 'X-A': '1' })
    expect(
      createSignatureBase(
        signableFromUrl('GET', new URL('https://a.example'), headers),
        covered('x-a', '@path'),
      ),
    ).toMatch(/^"x-a": 1\n"@path": \/\n/)
    expect(() => base('https://a.example/', ['x-b'], { 'x-b': undefined as unknown as string })).toThrow(
      'absent',
    )
  })

  it('property: one line per component plus @signature-params, which round-trips through Signature-Input', () => {
    const component = fc.constantFrom(
      '@method',
      '@target-uri',
      '@authority',
      '@scheme',
      '@path',
      '@query',
      '@request-target',
      'content-type',
      'x-custom',
    )
    const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,20}[\x21-\x7e])?$/)
    fc.assert(
      fc.property(
        fc.uniqueArray(component, { maxLength: 9 }),
        headerValue,
        fc.integer({ min: 0, max: 2 ** 31 }),
        (components, value, created) => {
          const list = innerList(
            components.map((c) => item({ type: 'string', value: c })),
            new Map([['created', { type: 'integer', value: created }]]),
          )
          const text = createSignatureBase(
            signableFromUrl('PATCH', 'https://a.example/p?q=1', { 'content-type': value, 'x-custom': value }),
            list,
          )
          const lines = text.split('\n')
          expect(lines).toHaveLength(components.length + 1)
          const paramsLine = lines.at(-1)!.slice('"@signature-params": '.length)
          expect(serializeInnerList(parseDictionary(`s=${paramsLine}`).get('s') as never)).toBe(paramsLine)
        },
      ),
    )
  })

  it('rejects a header value holding a line break', () => {
    expect(() => base('https://a.example/', ['x-a'], { 'x-a': 'a\nb' })).toThrow('line break')
  })
})
