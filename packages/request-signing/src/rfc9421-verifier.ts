import type { HttpRequestView } from '@lift/security-core'
import { contentDigestMatches, type DigestAlgorithm } from './content-digest'
import { verifyingKey } from './key-refetch'
import type { ResolvedKey } from './keys'
import { signableFromView } from './request-view'
import { queryCandidates } from './rest-query'
import { createSignatureBase } from './signature-base'
import {
  type Dictionary,
  type InnerList,
  type Member,
  parseDictionary,
  serializeItem,
} from './structured-fields'
import { denied, type VerificationResult } from './verification-result'
import type { ResolvedVerifyOptions } from './verify-options'

export type KeyLookup = (keyId: string) => Promise<ResolvedKey | undefined>

/**
 * Verifies the RFC 9421 signatures of a request: the configured label, or each label in turn until one
 * satisfies the policy and verifies. The first failure's reason is reported when none does.
 */
export async function verifyRfc9421(
  view: HttpRequestView,
  options: ResolvedVerifyOptions,
  lookupKey: KeyLookup,
  event?: unknown,
): Promise<VerificationResult> {
  const inputHeader = view.header('signature-input')
  const signatureHeader = view.header('signature')
  if (inputHeader === undefined || signatureHeader === undefined) return denied('signature-missing')
  if (
    Buffer.byteLength(inputHeader) > options.maxHeaderBytes ||
    Buffer.byteLength(signatureHeader) > options.maxHeaderBytes
  ) {
    return denied('header-too-large')
  }
  let inputs: Dictionary
  let signatures: Dictionary
  try {
    inputs = parseDictionary(inputHeader, { rejectDuplicateKeys: true })
    signatures = parseDictionary(signatureHeader, { rejectDuplicateKeys: true })
  } catch {
    return denied('malformed-signature-header')
  }
  const labels = options.label === undefined ? [...inputs.keys()] : [options.label]
  if (labels.length > options.maxSignatures) return denied('too-many-signatures')
  let firstFailure: VerificationResult | undefined
  for (const label of labels) {
    const result = await verifyLabel(
      view,
      event,
      options,
      lookupKey,
      label,
      inputs.get(label),
      signatures.get(label),
    )
    if (result.ok) return result
    firstFailure ??= result
  }
  return firstFailure ?? denied('signature-missing')
}

async function verifyLabel(
  view: HttpRequestView,
  event: unknown,
  options: ResolvedVerifyOptions,
  lookupKey: KeyLookup,
  label: string,
  input: Member | undefined,
  signature: Member | undefined,
): Promise<VerificationResult> {
  if (input === undefined || signature === undefined) return denied('label-missing')
  if (input.kind !== 'inner-list' || signature.kind !== 'item' || signature.value.type !== 'binary') {
    return denied('malformed-signature-header')
  }
  const params = readParams(input)
  if (typeof params === 'string') return denied(params)
  const body = view.rawBody
  const hasBody = body !== undefined && body.length > 0
  const required = options.requiredComponents ?? defaultRequired(hasBody)
  if (!coversRequired(input, required)) return denied('required-component-missing')
  if (hasBody && !coversCheckedDigest(input, options.digestAlgorithms)) return denied('body-not-covered')
  const timeFailure = checkTime(params.created, params.expires, options)
  if (timeFailure !== undefined) return denied(timeFailure, params.keyId)
  if (options.nonceRequired && params.nonce === undefined) return denied('nonce-missing', params.keyId)

  const resolved = await lookupKey(params.keyId)
  if (resolved === undefined) return denied('unknown-keyid', params.keyId)
  let { entry } = resolved
  if (params.alg !== undefined && params.alg !== entry.alg) return denied('alg-mismatch', params.keyId, entry)

  // One signature base per query the request may have been signed over (several only for REST API events).
  const bases: string[] = []
  try {
    const signable = signableFromView(view, options.origin, event)
    for (const query of queryCandidates(view)) {
      const request = query === signable.query ? signable : { ...signable, query }
      const base = createSignatureBase(request, input, { structuredFields: options.structuredFields })
      if (!bases.includes(base)) bases.push(base)
    }
  } catch {
    return denied('component-unavailable', params.keyId, entry)
  }
  const signatureBytes = signature.value.value
  const data = bases.map((base) => Buffer.from(base, 'utf8'))
  const verified = await verifyingKey(resolved, params.keyId, lookupKey, ({ verifiers }) =>
    data.some((signed) => verifiers.some((verify) => verify(signed, signatureBytes))),
  )
  if (verified === undefined) return denied('bad-signature', params.keyId, entry)
  entry = verified.entry
  const digest = view.header('content-digest')
  if (digest !== undefined || hasBody) {
    if (
      digest === undefined ||
      !contentDigestMatches(digest, body ?? Buffer.alloc(0), options.digestAlgorithms)
    ) {
      return denied('digest-mismatch', params.keyId, entry)
    }
  }
  const expiresAt = Math.min(params.expires ?? Number.POSITIVE_INFINITY, params.created + options.maxAgeSec)
  if (params.nonce !== undefined && options.nonceStore !== undefined) {
    const nowMs = options.now()
    const claimed = await options.nonceStore.claim(
      // JSON keeps key id and nonce apart even when either contains the separator.
      JSON.stringify([params.keyId, params.nonce]),
      (expiresAt + options.clockSkewSec) * 1000,
      nowMs,
    )
    if (!claimed) return denied('nonce-replayed', params.keyId, entry)
  }
  return {
    ok: true,
    keyId: params.keyId,
    entry,
    label,
    expiresAt,
    ...(params.tag === undefined ? {} : { tag: params.tag }),
  }
}

/** A required name is covered with any parameters; a required identifier ('"@query-param";name="id"') exactly. */
function coversRequired(input: InnerList, required: readonly string[]): boolean {
  const names = new Set(input.items.map((item) => item.value.value as string))
  let identifiers: Set<string> | undefined
  return required.every((component) => {
    if (!component.startsWith('"')) return names.has(component)
    identifiers ??= new Set(input.items.map(serializeItem))
    return identifiers.has(component)
  })
}

/**
 * The body is covered only when a Content-Digest member that is checked against it is signed: the whole
 * field, or a `;key` member naming an accepted algorithm. A signed `;key="sha-512"` member proves nothing
 * about the body when only sha-256 is checked, since the sha-256 member could be replaced with the body.
 */
function coversCheckedDigest(input: InnerList, accepted: readonly DigestAlgorithm[]): boolean {
  for (const component of input.items) {
    if (component.value.value !== 'content-digest') continue
    const key = component.params.get('key')
    if (key === undefined) return true
    if (key.type === 'string' && (accepted as readonly string[]).includes(key.value)) return true
  }
  return false
}

function defaultRequired(hasBody: boolean): readonly string[] {
  return hasBody ? ['@method', '@target-uri', 'content-digest'] : ['@method', '@target-uri']
}

interface SignatureParams {
  created: number
  expires?: number
  keyId: string
  alg?: string
  nonce?: string
  tag?: string
}

const INTEGER_PARAMS = new Set(['created', 'expires'])
const STRING_PARAMS = new Set(['keyid', 'alg', 'nonce', 'tag'])

function readParams(input: InnerList): SignatureParams | string {
  for (const component of input.items) {
    if (component.value.type !== 'string') return 'malformed-signature-header'
  }
  const values: Record<string, string | number> = {}
  for (const [name, value] of input.params) {
    if (INTEGER_PARAMS.has(name)) {
      if (value.type !== 'integer') return 'malformed-signature-header'
      values[name] = value.value
    } else if (STRING_PARAMS.has(name)) {
      if (value.type !== 'string') return 'malformed-signature-header'
      values[name] = value.value
    }
  }
  if (values.created === undefined) return 'created-missing'
  if (values.keyid === undefined || values.keyid === '') return 'keyid-missing'
  return {
    created: values.created as number,
    keyId: values.keyid as string,
    ...(values.expires === undefined ? {} : { expires: values.expires as number }),
    ...(values.alg === undefined ? {} : { alg: values.alg as string }),
    ...(values.nonce === undefined ? {} : { nonce: values.nonce as string }),
    ...(values.tag === undefined ? {} : { tag: values.tag as string }),
  }
}

function checkTime(
  created: number,
  expires: number | undefined,
  options: ResolvedVerifyOptions,
): string | undefined {
  const now = options.now() / 1000
  if (created > now + options.clockSkewSec) return 'created-in-future'
  if (expires !== undefined && now > expires + options.clockSkewSec) return 'signature-expired'
  if (now - created > options.maxAgeSec + options.clockSkewSec) return 'signature-too-old'
  return undefined
}
