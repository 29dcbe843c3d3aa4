// Redaction is fuzzed on strings that mix credentials into every context Lift masks them in: redacting
// twice is redacting once, no JWT or secret survives, and no stray bracket is left behind.
import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { createRedactor, REDACTED } from '../src/index'

const redactor = createRedactor()
const secret = fc.stringMatching(/^[A-Za-z0-9_~+/-]{16,32}$/).filter((s) => !/^eyJ/.test(s))
const segment = fc.stringMatching(/^[A-Za-z0-9_-]{8,24}$/)
const jwt = fc.tuple(segment, segment, segment).map(([h, p, s]) => `eyJ${h}.eyJ${p}.${s}`)
const filler = fc.stringMatching(/^[A-Za-z0-9 .,:;!?()_-]{0,12}$/)

/** A credential in one of the shapes it appears in log lines, and the part that must not survive. */
const planted = fc.oneof(
  jwt.map((token) => ({ text: token, hidden: token })),
  jwt.map((token) => ({ text: `token=${token}`, hidden: token })),
  jwt.map((token) => ({ text: `"token":"${token}"`, hidden: token })),
  jwt.map((token) => ({ text: `access_token: ${token}`, hidden: token })),
  jwt.map((token) => ({ text: `Bearer ${token}`, hidden: token })),
  secret.map((value) => ({ text: `password=${value}`, hidden: value })),
  secret.map((value) => ({ text: `"client_secret": "${value}"`, hidden: value })),
  secret.map((value) => ({ text: `'api-key': '${value}'`, hidden: value })),
  secret.map((value) => ({ text: `?code=${value}&x=1`, hidden: value })),
  secret.map((value) => ({ text: `Basic ${value}`, hidden: value })),
)

const line = fc.array(fc.tuple(filler, planted), { minLength: 1, maxLength: 4 }).map((parts) => ({
  text: parts.map(([before, credential]) => `${before} ${credential.text}`).join(' '),
  hidden: parts.map(([, credential]) => credential.hidden),
}))

const count = (text: string, char: string) => text.split(char).length - 1

describe('redaction (fuzzed)', () => {
  it('a JWT after token= is masked once: token=[REDACTED], not token=[REDACTED]]', () => {
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'
    expect(redactor.text(`token=${token}`)).toBe(`token=${REDACTED}`)
    expect(redactor.text(`id_token=${token}&state=1`)).toBe(`id_token=${REDACTED}&state=1`)
    expect(redactor.text(`{"token":"${token}"}`)).toBe(`{"token":"${REDACTED}"}`)
  })

  it('a value after a key that is not sensitive is still scanned: user: password=… is masked', () => {
    expect(redactor.text('user: password=hunter2 ok')).toBe(`user: password=${REDACTED} ok`)
  })

  it('redacting twice equals redacting once', () => {
    fc.assert(
      fc.property(line, ({ text }) => {
        const once = redactor.text(text)
        expect(redactor.text(once)).toBe(once)
      }),
      { numRuns: 500 },
    )
  })

  it('no JWT or secret survives, and brackets stay balanced (no stray "]")', () => {
    fc.assert(
      fc.property(line, ({ text, hidden }) => {
        const redacted = redactor.text(text)
        for (const value of hidden) expect(redacted).not.toContain(value)
        expect(redacted).not.toMatch(/eyJ[\w-]*\.[\w-]*\.[\w-]+/)
        expect(count(redacted, '[')).toBe(count(redacted, ']'))
        expect(redacted).not.toContain(`${REDACTED}]`)
      }),
      { numRuns: 500 },
    )
  })

  it('redacting a value twice equals redacting it once', () => {
    fc.assert(
      fc.property(line, secret, ({ text }, value) => {
        const input = { message: text, headers: { authorization: value }, nested: [{ note: text }] }
        const once = redactor.value(input)
        expect(redactor.value(once)).toEqual(once)
      }),
      { numRuns: 200 },
    )
  })
})
