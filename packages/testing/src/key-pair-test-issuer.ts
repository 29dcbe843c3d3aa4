import type { CryptoKey, JSONWebKeySet, JWK } from 'jose'
import {
  DISCOVERY_PATH,
  JWKS_PATH,
  type JwksServer,
  jsonDocument,
  type ServedDocument,
  startJwksServer,
} from './jwks-server'
import type {
  AsymmetricAlgorithm,
  AsymmetricTestIssuer,
  RotateOptions,
  TestIssuerOptions,
} from './test-issuer'
import { tokenSigner } from './token-signer'

type Jose = typeof import('jose')

interface SigningKey {
  readonly privateKey: CryptoKey
  readonly publicKey: CryptoKey
  readonly kid: string
  readonly jwk: JWK
  readonly pem: string
}

/**
 * An issuer with a key pair. Unless `serve: false`, its JWKS (and an OpenID discovery document) are
 * served on 127.0.0.1 and the default `iss` is the server's base URL, as with a real identity provider.
 */
export async function createKeyPairIssuer(
  jose: Jose,
  alg: AsymmetricAlgorithm,
  options: TestIssuerOptions,
): Promise<AsymmetricTestIssuer> {
  const newKey = async (kid: string | undefined): Promise<SigningKey> => {
    const pair = await jose.generateKeyPair(alg, { extractable: true })
    const exported = await jose.exportJWK(pair.publicKey)
    const keyId = kid ?? (await jose.calculateJwkThumbprint(exported))
    const jwk: JWK = { ...exported, kid: keyId, alg, use: 'sig' }
    return { ...pair, kid: keyId, jwk, pem: await jose.exportSPKI(pair.publicKey) }
  }
  let current = await newKey(options.kid)
  let published: JWK[] = [current.jwk]
  let override: ServedDocument | undefined
  const jwks = (): JSONWebKeySet => ({ keys: published.map((key) => ({ ...key })) })

  let server: JwksServer | undefined
  let issuer = options.issuer ?? 'https://issuer.lift.test'
  if (options.serve !== false) {
    server = await startJwksServer({
      jwks: () => override ?? jsonDocument(jwks()),
      discovery: (base) => ({
        issuer,
        jwks_uri: `${base}${JWKS_PATH}`,
        id_token_signing_alg_values_supported: [alg],
      }),
    })
    issuer = options.issuer ?? server.baseUrl
  }
  const served = (what: string): JwksServer => {
    if (!server) throw new Error(`${what} is not available: the test issuer was created with serve: false`)
    return server
  }
  let closing: Promise<void> | undefined

  return {
    issuer,
    alg,
    get kid() {
      return current.kid
    },
    get jwks() {
      return jwks()
    },
    get jwksUri() {
      return `${served('jwksUri').baseUrl}${JWKS_PATH}`
    },
    get discoveryUri() {
      return `${served('discoveryUri').baseUrl}${DISCOVERY_PATH}`
    },
    get privateKey() {
      return current.privateKey
    },
    get publicKey() {
      return current.publicKey
    },
    get publicJwk() {
      return { ...current.jwk }
    },
    get publicKeyPem() {
      return current.pem
    },
    sign: tokenSigner(jose, options, { alg, issuer, key: () => current.privateKey, kid: () => current.kid }),
    async rotate(rotateOptions: RotateOptions = {}) {
      const previous = current
      current = await newKey(rotateOptions.kid)
      published = rotateOptions.keepPrevious ? [current.jwk, previous.jwk] : [current.jwk]
      return current.kid
    },
    jwksRequests: () => served('jwksRequests').jwksRequests(),
    setJwks(body, init = {}) {
      served('setJwks')
      const bytes =
        typeof body === 'string' || body instanceof Uint8Array
          ? Buffer.from(body)
          : Buffer.from(JSON.stringify(body))
      override = {
        status: init.status ?? 200,
        contentType: init.contentType ?? 'application/json',
        body: bytes,
      }
    },
    resetJwks() {
      override = undefined
    },
    close() {
      closing ??= server ? server.close() : Promise.resolve()
      return closing
    },
  }
}
