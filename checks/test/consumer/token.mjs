// Cognito-shaped RS256 access tokens for the quickstart's user pool, signed with node:crypto alone, and the
// JWK Set that verifies them.
import { generateKeyPairSync, sign } from 'node:crypto'

export const issuer = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123'
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
export const jwks = {
  keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256', use: 'sig' }],
}
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function token(claims = {}) {
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    iss: issuer,
    sub: 'u1',
    client_id: 'my-app-client-id',
    token_use: 'access',
    'cognito:groups': ['admin'],
    scope: 'openid',
    iat: now,
    exp: now + 60,
    ...claims,
  }
  const unsigned = `${b64({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${b64(payload)}`
  return `${unsigned}.${sign('sha256', Buffer.from(unsigned), privateKey).toString('base64url')}`
}
