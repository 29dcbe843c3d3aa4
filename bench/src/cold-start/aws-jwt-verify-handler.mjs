// The peer of jwt-jwks-handler.mjs: a Middy handler verifying with aws-jwt-verify against a JWKS URL.
import middy from '@middy/core'
import { JwtVerifier } from 'aws-jwt-verify'

const verifier = JwtVerifier.create({
  issuer: 'https://idp.example',
  audience: 'api',
  jwksUri: 'https://idp.example/.well-known/jwks.json',
})

export const handler = middy()
  .before(async (request) => {
    const payload = await verifier.verify(String(request.event.headers?.authorization).slice(7))
    request.context.principal = { id: payload.sub }
  })
  .handler(async (_event, context) => ({ statusCode: 200, body: context.principal.id }))
