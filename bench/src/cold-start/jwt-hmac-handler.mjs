// A Middy handler with jwtAuth for one HMAC issuer: what a function using only a shared secret bundles.
import { jwtAuth } from '@lift/auth-jwt'
import middy from '@middy/core'

export const handler = middy()
  .use(
    jwtAuth({
      issuers: [
        {
          issuer: 'https://idp.example',
          audience: 'api',
          algorithms: ['HS256'],
          secret: process.env.JWT_SECRET ?? 'bench-only-secret-'.repeat(2),
        },
      ],
    }),
  )
  .handler(async (_event, context) => ({ statusCode: 200, body: context.principal.id }))
