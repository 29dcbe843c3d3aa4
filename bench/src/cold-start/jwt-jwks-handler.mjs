// A Middy handler with jwtAuth for one issuer with a JWKS URL (the common case: Cognito, Auth0, Entra ID).
import { jwtAuth } from '@lift/auth-jwt'
import middy from '@middy/core'

export const handler = middy()
  .use(
    jwtAuth({
      issuers: [
        {
          issuer: 'https://idp.example',
          audience: 'api',
          algorithms: ['RS256'],
          jwksUri: 'https://idp.example/.well-known/jwks.json',
        },
      ],
    }),
  )
  .handler(async (_event, context) => ({ statusCode: 200, body: context.principal.id }))
