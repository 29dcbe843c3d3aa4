// An HS256 token the consumer handlers accept, signed with node:crypto alone.
import { createHmac } from 'node:crypto'

export const secret = 'a-32-byte-long-secret-for-hs256!'
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')

export function token(claims = {}) {
  const now = Math.floor(Date.now() / 1000)
  const payload = {
    iss: 'https://idp.example',
    aud: 'api',
    sub: 'u1',
    roles: ['reader'],
    exp: now + 60,
    ...claims,
  }
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`
}
