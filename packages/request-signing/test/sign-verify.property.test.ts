import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { invoke } from './support/harness'
import { hmacSign, keys, now } from './support/keys'
import { signedTestRequest } from './support/signed-test-request'

const optional = [
  '@authority',
  '@scheme',
  '@path',
  '@query',
  '@request-target',
  'x-trace',
  'content-type',
] as const
const segment = fc.stringMatching(/^[a-z0-9\-._~]{1,8}$/)
const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/)

describe('property: signRequest → verifySignature', () => {
  it('any signed request verifies, and changing any covered header breaks it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.subarray([...optional]),
        fc.array(segment, { minLength: 1, maxLength: 3 }),
        fc.option(fc.tuple(segment, segment), { nil: undefined }),
        headerValue,
        fc.option(fc.json({ maxDepth: 2 }), { nil: undefined }),
        async (extra, path, query, trace, body) => {
          const url = `https://api.example.com/${path.join('/')}${query === undefined ? '' : `?${query[0]}=${query[1]}`}`
          // content-type is only sent (and so only coverable) with a body.
          const covered = body === undefined ? extra.filter((c) => c !== 'content-type') : extra
          const components = [
            '@method',
            '@target-uri',
            ...covered,
            ...(body === undefined ? [] : ['content-digest']),
          ]
          const init = { url, headers: { 'x-trace': trace }, ...(body === undefined ? {} : { body }) }
          const event = signedTestRequest(init, { ...hmacSign, components })
          expect((await invoke({ keys, now }, event)).statusCode).toBe(200)
          const tampered = { ...event, headers: { ...event.headers, 'x-trace': `${trace}!` } }
          const expected = covered.includes('x-trace') ? 401 : 200
          expect((await invoke({ keys, now }, tampered)).statusCode).toBe(expected)
        },
      ),
      { numRuns: 60 },
    )
  })
})
