// Hand-made compact JWS for the tests: any header, any payload bytes, signed with node:crypto. jose's
// SignJWT refuses the malformed headers that the attack tests need, so the tests build tokens themselves.
import { constants, createHmac, type KeyObject, sign } from 'node:crypto'

export const b64url = (value: string | Uint8Array | object): string =>
  (typeof value === 'string' || value instanceof Uint8Array
    ? Buffer.from(value)
    : Buffer.from(JSON.stringify(value))
  ).toString('base64url')

/** Signs `input` the way JWS `alg` does. Unknown algorithms produce an empty signature. */
export function signInput(alg: string, key: KeyObject, input: string): Buffer {
  const data = Buffer.from(input)
  const bits = alg.slice(2)
  switch (alg.slice(0, 2)) {
    case 'HS':
      return createHmac(`sha${bits}`, key).update(data).digest()
    case 'RS':
      return sign(`sha${bits}`, data, key)
    case 'PS':
      return sign(`sha${bits}`, data, {
        key,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: Number(bits) / 8,
      })
    case 'ES':
      return sign(`sha${bits}`, data, { key, dsaEncoding: 'ieee-p1363' })
    case 'Ed':
      return sign(null, data, key)
    default:
      return Buffer.alloc(0)
  }
}

export interface CraftOptions {
  /** Used as the header/payload segment text as is (already encoded). */
  readonly rawHeader?: string
  readonly rawPayload?: string
  /** Signing key; the header's alg decides how (default: no signature). */
  readonly key?: KeyObject
  /** Algorithm used to sign, when it should differ from the header's alg. */
  readonly signAlg?: string
}

export function craftToken(header: object, payload: object | string, options: CraftOptions = {}): string {
  const encodedHeader = options.rawHeader ?? b64url(header)
  const encodedPayload = options.rawPayload ?? b64url(payload)
  const input = `${encodedHeader}.${encodedPayload}`
  const alg = options.signAlg ?? (header as { alg?: string }).alg ?? ''
  const signature = options.key ? signInput(alg, options.key, input) : Buffer.alloc(0)
  return `${input}.${signature.toString('base64url')}`
}
