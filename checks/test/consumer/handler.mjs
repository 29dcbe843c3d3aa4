// The README quickstart as a consumer writes it in an ES module Lambda handler (index.mjs).
import { authorize, jwtAuth } from '@lift/auth-jwt'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'

export const handler = middy()
  .use(httpErrorHandler())
  .use(
    jwtAuth({
      issuers: [
        {
          issuer: 'https://idp.example',
          audience: 'api',
          algorithms: ['HS256'],
          secret: process.env.JWT_SECRET,
        },
      ],
    }),
  )
  .use(authorize({ roles: { anyOf: ['reader'] } }))
  .handler(async (_event, context) => ({
    statusCode: 200,
    body: JSON.stringify({ hello: context.principal.id }),
  }))
