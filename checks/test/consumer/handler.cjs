// index.js of a CommonJS Lambda (no "type": "module"): the quickstart. The Lift packages load with require();
// Middy 7 is ESM-only (its exports have no "require" condition), so the handler imports it once, at cold start.
const { authorize, cognito, jwtAuth } = require('@lift/auth-jwt')
const { requirePrincipal } = require('@lift/security-core')

const pool = cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: 'my-app-client-id', tokenUse: 'access' })
const ready = Promise.all([import('@middy/core'), import('@middy/http-error-handler')]).then(
  ([{ default: middy }, { default: httpErrorHandler }]) =>
    middy()
      .use(httpErrorHandler())
      .use(jwtAuth({ issuers: [pool] }))
      .use(authorize({ roles: { anyOf: ['admin'] } }))
      .handler(async (_event, context) => ({ statusCode: 200, body: requirePrincipal({ context }).id })),
)

exports.handler = async (event, context) => (await ready)(event, context)
