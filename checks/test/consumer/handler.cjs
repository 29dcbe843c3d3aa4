// index.js of a CommonJS Lambda (no "type": "module"). The Lift packages load with require(); Middy 7 is
// ESM-only (its exports have no "require" condition), so the handler imports it once, at cold start.
const { authorize, jwtAuth } = require('@lift/auth-jwt')

const ready = Promise.all([import('@middy/core'), import('@middy/http-error-handler')]).then(
  ([{ default: middy }, { default: httpErrorHandler }]) =>
    middy()
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
      })),
)

exports.handler = async (event, context) => (await ready)(event, context)
