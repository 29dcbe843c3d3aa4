import { describe, expect, it } from '@jest/globals'
import type { apiGatewayV2Event } from '@lift/testing'
import { contentDigest, type DigestAlgorithm, type VerifySignatureOptions } from '../src/index'
import { invoke } from './support/harness'
import { hmacSign, keys, now } from './support/keys'
import { signedTestRequest } from './support/signed-test-request'

type Event = ReturnType<typeof apiGatewayV2Event>
const body = JSON.stringify({ amount: 100, to: 'alice' })
const forged = JSON.stringify({ amount: 100_000, to: 'mallory' })
const sha256Only: Partial<VerifySignatureOptions> = { digestAlgorithms: ['sha-256'] }

function signedWith(component: string, digest: DigestAlgorithm): Event {
  return signedTestRequest(
    { url: 'https://api.example.com/transfers', body },
    { ...hmacSign, digest, components: ['@method', '@target-uri', component] },
  )
}

/** Replaces the body and appends a Content-Digest member computed over the replacement. */
function withForgedBody(event: Event, algorithm: DigestAlgorithm): Event {
  const signedDigest = event.headers['content-digest'] as string
  return {
    ...event,
    body: forged,
    headers: { ...event.headers, 'content-digest': `${signedDigest}, ${contentDigest(forged, algorithm)}` },
  }
}

async function verify(event: Event, options: Partial<VerifySignatureOptions> = {}) {
  return invoke({ keys, now, ...options }, event)
}

describe('Content-Digest coverage with restricted digestAlgorithms', () => {
  it('body-substitution attack: a signed sha-512 member plus a forged unsigned sha-256 member is refused when only sha-256 is checked', async () => {
    const attack = withForgedBody(signedWith('"content-digest";key="sha-512"', 'sha-512'), 'sha-256')
    const outcome = await verify(attack, sha256Only)
    expect(outcome.statusCode).toBe(401)
    expect(outcome.headers['Content-Type']).toBe('application/problem+json')
    expect(JSON.parse(outcome.body)).toMatchObject({ status: 401, code: 'unauthenticated' })
    expect(outcome.body).not.toContain('body-not-covered')
    expect(outcome.events).toEqual([expect.objectContaining({ outcome: 'deny', reason: 'body-not-covered' })])
  })

  it('body-substitution attack: the mirror case (signed sha-256 member, forged sha-512) is refused when only sha-512 is checked', async () => {
    const attack = withForgedBody(signedWith('"content-digest";key="sha-256"', 'sha-256'), 'sha-512')
    const outcome = await verify(attack, { digestAlgorithms: ['sha-512'] })
    expect(outcome.statusCode).toBe(401)
    expect(outcome.events).toEqual([expect.objectContaining({ reason: 'body-not-covered' })])
  })

  it('body-substitution attack: with both algorithms checked the signed sha-512 member catches the forged body', async () => {
    const attack = withForgedBody(signedWith('"content-digest";key="sha-512"', 'sha-512'), 'sha-256')
    const outcome = await verify(attack)
    expect(outcome.statusCode).toBe(401)
    expect(outcome.events).toEqual([expect.objectContaining({ reason: 'digest-mismatch' })])
  })

  it('body-substitution attack: a signed member of an algorithm nobody checks (sha-384) plus a forged sha-256 member is refused with the default algorithms', async () => {
    const sha384 = `sha-384=:${Buffer.alloc(48, 7).toString('base64')}:`
    // Signed without a body so that signRequest keeps the given Content-Digest; the body is added after.
    const signed = signedTestRequest(
      { method: 'POST', url: 'https://api.example.com/transfers', headers: { 'content-digest': sha384 } },
      { ...hmacSign, components: ['@method', '@target-uri', '"content-digest";key="sha-384"'] },
    )
    const attack = { ...signed, body: forged }
    attack.headers = { ...signed.headers, 'content-digest': `${sha384}, ${contentDigest(forged)}` }
    const outcome = await verify(attack)
    expect(outcome.statusCode).toBe(401)
    expect(outcome.events).toEqual([expect.objectContaining({ reason: 'body-not-covered' })])
  })

  it.each([
    ['the checked member by key', '"content-digest";key="sha-256"', 'sha-256', sha256Only],
    ['the whole field', 'content-digest', 'sha-256', sha256Only],
    ['the whole field as a structured field', '"content-digest";sf', 'sha-256', sha256Only],
    ['the checked sha-512 member by key', '"content-digest";key="sha-512"', 'sha-512', {}],
    [
      'the checked sha-512 member by key, sha-512 only',
      '"content-digest";key="sha-512"',
      'sha-512',
      { digestAlgorithms: ['sha-512'] },
    ],
  ] as const)(
    'a legitimate request that signs %s is still accepted',
    async (_name, component, digest, options) => {
      const outcome = await verify(signedWith(component, digest), options as Partial<VerifySignatureOptions>)
      expect(outcome.statusCode).toBe(200)
    },
  )

  it('a legitimate request with an extra unsigned member of another algorithm is accepted when the checked one is signed', async () => {
    const event = signedWith('"content-digest";key="sha-256"', 'sha-256')
    const both = {
      ...event,
      headers: {
        ...event.headers,
        'content-digest': `${event.headers['content-digest']}, ${contentDigest(body, 'sha-512')}`,
      },
    }
    expect((await verify(both, sha256Only)).statusCode).toBe(200)
    expect((await verify(both)).statusCode).toBe(200)
  })
})
