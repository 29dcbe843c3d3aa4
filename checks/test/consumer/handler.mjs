// The root README's quickstart, verbatim, as a consumer writes it in an ES module Lambda handler (index.mjs).
import { authorize, cognito, jwtAuth } from '@lift/auth-jwt'
import { requirePrincipal } from '@lift/security-core'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'

const pool = cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: 'my-app-client-id', tokenUse: 'access' })
export const handler = middy()
  .use(httpErrorHandler()) // 401 and 403 as application/problem+json
  .use(jwtAuth({ issuers: [pool] }))
  .use(authorize({ roles: { anyOf: ['admin'] } })) // roles are the user's cognito:groups
  .handler(async (_event, context) => ({ statusCode: 200, body: requirePrincipal({ context }).id }))
