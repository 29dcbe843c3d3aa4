import { describe, expect, it } from '@jest/globals'
import { httpRequestView } from '@lift/security-core'
import { apiGatewayV1Event, apiGatewayV2Event } from '@lift/testing'
import { type VerifySignatureOptions, verifySignature } from '../src/index'
import { queryCandidates } from '../src/rest-query'
import { invoke } from './support/harness'
import { hmacSign, keys, now } from './support/keys'
import { signedTestRequest } from './support/signed-test-request'

type Query = Record<string, string | string[]>
const QUERY = ['@method', '@target-uri', '@query']

/** Signs `GET https://api.example.com/search?<wireQuery>` and returns the headers that were sent. */
function signedHeaders(wireQuery: string, components: readonly string[] = QUERY): Record<string, string> {
  const event = signedTestRequest(
    { url: `https://api.example.com/search?${wireQuery}` },
    { ...hmacSign, components },
  )
  return event.headers as Record<string, string>
}

/** The REST API (v1) proxy event API Gateway builds for that request: only decoded parameters. */
function restEvent(headers: Record<string, string>, query: Query) {
  return apiGatewayV1Event({ method: 'GET', path: '/search', query, headers })
}

async function status(
  event: unknown,
  options: Partial<VerifySignatureOptions> = {},
): Promise<{ statusCode: number; reason: unknown }> {
  const outcome = await invoke({ keys, now, ...options }, event)
  return { statusCode: outcome.statusCode, reason: outcome.events[0]?.reason }
}

describe('@query from REST API (v1) events, which carry only decoded parameters', () => {
  it.each([
    ['q=a,b', { q: 'a,b' }, 'a URL parser leaves "," as written (fetch, new URL, curl)'],
    ['q=%7E', { q: '~' }, 'URLSearchParams encodes "~" as %7E'],
    ['q=~', { q: '~' }, 'a literal "~"'],
    ['q=a%2Cb', { q: 'a,b' }, 'encodeURIComponent encodes ","'],
    ['q=a+b', { q: 'a b' }, 'form encoding: "+" is a space'],
    ['q=a%20b', { q: 'a b' }, '%20 for a space'],
    ['q=%2B1', { q: '+1' }, 'an encoded "+"'],
    ['q=caf%C3%A9&lang=fr', { q: 'café', lang: 'fr' }, 'UTF-8 and two parameters'],
    ['tag=x&tag=y,z', { tag: ['x', 'y,z'] }, 'a repeated parameter (multiValueQueryStringParameters)'],
    ["q=it's(1)*", { q: "it's(1)*" }, 'a URL parser encodes "\'" for https'],
  ])('verifies @query signed over %s (%s)', async (wireQuery, query, _why) => {
    const event = restEvent(signedHeaders(wireQuery), query)
    expect(await status(event)).toEqual({ statusCode: 200, reason: 'verified' })
  })

  it('q=a,b and q=%7E: the same requests verify through HTTP API (v2), which passes the raw query', async () => {
    for (const [wireQuery, query] of [
      ['q=a,b', { q: 'a,b' }],
      ['q=%7E', { q: '~' }],
    ] as const) {
      const v2 = apiGatewayV2Event({
        method: 'GET',
        path: '/search',
        query,
        headers: signedHeaders(wireQuery),
      })
      expect(await status({ ...v2, rawQueryString: wireQuery })).toEqual({
        statusCode: 200,
        reason: 'verified',
      })
    }
  })

  it('also covers @target-uri (the default components) over q=a,b from a REST event', async () => {
    const event = restEvent(signedHeaders('q=a,b', ['@method', '@target-uri']), { q: 'a,b' })
    expect(await status(event)).toEqual({ statusCode: 200, reason: 'verified' })
  })

  it.each<[string, Query, string]>([
    ['q=a,b', { q: 'a,c' }, 'a changed value'],
    ['q=a+b', { q: 'a+b' }, 'a space turned into "+" (the client sent %2B)'],
    ['q=%2B1', { q: ' 1' }, 'a "+" turned into a space'],
    ['q=a,b', { q: 'a,b', r: '1' }, 'an added parameter'],
    ['q=a%26r%3D1', { q: 'a', r: '1' }, 'an encoded "&" split into two parameters'],
  ])(
    'query-tampering attack: a signature over %s does not verify for %s (%s)',
    async (wireQuery, query, _why) => {
      const event = restEvent(signedHeaders(wireQuery), query)
      expect(await status(event)).toEqual({ statusCode: 401, reason: 'bad-signature' })
    },
  )

  it('cannot rebuild a query mixing encodings or interleaving names; @query-param components verify instead', async () => {
    // Documented in the README: "~" as %7E next to a literal ",", and a=1&b=2&a=3 (REST groups by name).
    expect(await status(restEvent(signedHeaders('a=%7E&b=,'), { a: '~', b: ',' }))).toMatchObject({
      statusCode: 401,
    })
    expect(await status(restEvent(signedHeaders('a=1&b=2&a=3'), { a: ['1', '3'], b: '2' }))).toMatchObject({
      statusCode: 401,
    })
    const params = ['@method', '@authority', '@path', '"@query-param";name="a"', '"@query-param";name="b"']
    const requiredComponents = ['@method', '@authority', '@path']
    const event = restEvent(signedHeaders('a=%7E&b=,', params), { a: '~', b: ',' })
    expect(await status(event, { requiredComponents })).toEqual({
      statusCode: 200,
      reason: 'verified',
    })
  })

  it('requiredComponents can name a @query-param as signRequest writes it, and only that name satisfies it', async () => {
    const requiredComponents = ['@method', '@authority', '@path', '"@query-param";name="account"']
    const signedFor = (name: string) =>
      restEvent(
        signedHeaders(`account=1&page=2`, [
          '@method',
          '@authority',
          '@path',
          `"@query-param";name="${name}"`,
        ]),
        {
          account: '1',
          page: '2',
        },
      )
    expect(await status(signedFor('account'), { requiredComponents })).toEqual({
      statusCode: 200,
      reason: 'verified',
    })
    // A signature over another parameter leaves ?account= free to change.
    expect(await status(signedFor('page'), { requiredComponents })).toEqual({
      statusCode: 401,
      reason: 'required-component-missing',
    })
    // A bare '@query-param' (any name) or a capitalised field name could never be what was meant.
    expect(() => verifySignature({ keys, requiredComponents: ['@query-param'] })).toThrow(
      'requiredComponents',
    )
    expect(() => verifySignature({ keys, requiredComponents: ['Content-Type'] })).toThrow(
      'requiredComponents',
    )
  })

  it('tries at most three rebuilt queries, and one when nothing is ambiguous', () => {
    const candidates = (query: Query) => queryCandidates(httpRequestView(apiGatewayV1Event({ query })))
    expect(candidates({ q: 'plain-value_1.0', n: '2' })).toEqual(['q=plain-value_1.0&n=2'])
    // The README's table.
    expect(candidates({ q: 'a,b ~' })).toEqual(['q=a%2Cb%20~', 'q=a,b%20~', 'q=a%2Cb+%7E'])
    expect(candidates({})).toEqual([''])
    const v2 = httpRequestView(apiGatewayV2Event({ query: { q: 'a,b' } }))
    expect(queryCandidates(v2)).toEqual([v2.rawQuery])
  })
})
