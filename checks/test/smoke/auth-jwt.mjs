import { createHmac } from 'node:crypto'
import { createRequire } from 'node:module'
import { authorize, jwtAuth } from '@lift/auth-jwt'
import middy from '@middy/core'
import { check, context, httpEvent } from './http-event.mjs'

const secret = 'a-32-byte-long-secret-for-hs256!'
const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')
const now = Math.floor(Date.now() / 1000)
const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ iss: 'https://idp.example', aud: 'api', sub: 'u1', roles: ['admin'], exp: now + 60 })}`
const token = `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`

const handler = middy(async (_event, ctx) => ({ statusCode: 200, body: ctx.principal.id }))
  .use(
    jwtAuth({
      issuers: [
        { issuer: 'https://idp.example', audience: 'api', algorithms: ['HS256'], secret, tenantId: 't1' },
      ],
    }),
  )
  .use(authorize({ roles: { anyOf: ['admin'] } }))
  .onError((request) => {
    request.response = { statusCode: request.error.statusCode, body: '' }
  })

const ok = await handler(httpEvent({ headers: { authorization: `Bearer ${token}` } }), { ...context })
check(ok.statusCode === 200 && ok.body === 'u1', `valid token: ${JSON.stringify(ok)}`)
const denied = await handler(httpEvent({ headers: { authorization: `Bearer ${token}x` } }), { ...context })
check(denied.statusCode === 401, `tampered token: ${JSON.stringify(denied)}`)
check(typeof createRequire(import.meta.url)('@lift/auth-jwt').jwtAuth === 'function', 'CommonJS entry')
console.log('ok')
