import { createRequire } from 'node:module'
import { signRequest, verifySignature } from '@lift/request-signing'
import middy from '@middy/core'
import { check, context, httpEvent } from './http-event.mjs'

const key = 'a-32-byte-long-secret-for-hmac!!'
const body = JSON.stringify({ order: 1 })
const signed = signRequest(
  {
    method: 'POST',
    url: 'https://api.example.com/orders',
    headers: { 'content-type': 'application/json' },
    body,
  },
  { keyId: 'caller', key, alg: 'hmac-sha256' },
)
const headers = { 'content-type': 'application/json' }
for (const [name, value] of Object.entries(signed)) headers[name.toLowerCase()] = value

const handler = middy(async (_event, ctx) => ({ statusCode: 200, body: ctx.principal.id }))
  .use(verifySignature({ keys: { caller: { key, alg: 'hmac-sha256', principalId: 'caller' } } }))
  .onError((request) => {
    request.response = { statusCode: request.error.statusCode, body: '' }
  })

const ok = await handler(httpEvent({ method: 'POST', path: '/orders', headers, body }), { ...context })
check(ok.statusCode === 200 && ok.body === 'caller', `signed request: ${JSON.stringify(ok)}`)
const tampered = await handler(httpEvent({ method: 'POST', path: '/orders', headers, body: '{"order":2}' }), {
  ...context,
})
check(tampered.statusCode === 401, `tampered body: ${JSON.stringify(tampered)}`)
check(
  typeof createRequire(import.meta.url)('@lift/request-signing').verifySignature === 'function',
  'CommonJS entry',
)
console.log('ok')
