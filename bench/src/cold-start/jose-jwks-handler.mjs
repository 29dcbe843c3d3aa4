// The peer of jwt-jwks-handler.mjs: a Middy handler verifying with jose jwtVerify + createRemoteJWKSet.
import middy from '@middy/core'
import { createRemoteJWKSet, jwtVerify } from 'jose'

const keys = createRemoteJWKSet(new URL('https://idp.example/.well-known/jwks.json'))

export const handler = middy()
  .before(async (request) => {
    const token = String(request.event.headers?.authorization).slice(7)
    const { payload } = await jwtVerify(token, keys, { issuer: 'https://idp.example', audience: 'api' })
    request.context.principal = { id: payload.sub }
  })
  .handler(async (_event, context) => ({ statusCode: 200, body: context.principal.id }))
