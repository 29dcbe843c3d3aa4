// Invokes the consumer handler named on the command line (handler.mjs or handler.cjs) as Lambda would.
// The user pool's key set is served by a real HTTP server on 127.0.0.1; requests for the Cognito JWKS URL
// (the only outbound call) are sent there instead of to AWS, so the README's code runs unchanged, offline.
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { check, context, httpEvent } from './http-event.mjs'
import { issuer, jwks, token } from './token.mjs'

let jwksRequests = 0
const server = createServer((request, response) => {
  jwksRequests += 1
  const found = request.url === '/.well-known/jwks.json'
  response.writeHead(found ? 200 : 404, { 'content-type': 'application/json' })
  response.end(found ? JSON.stringify(jwks) : '{}')
})
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
const local = `http://127.0.0.1:${server.address().port}`
const realFetch = globalThis.fetch
globalThis.fetch = (url, init) =>
  realFetch(String(url).startsWith(`${issuer}/`) ? local + String(url).slice(issuer.length) : url, init)

try {
  const file = process.argv[2]
  const { handler } = file.endsWith('.cjs')
    ? createRequire(import.meta.url)(`./${file}`)
    : await import(`./${file}`)

  const ok = await handler(httpEvent({ headers: { authorization: `Bearer ${token()}` } }), { ...context })
  check(ok.statusCode === 200 && ok.body === 'u1', `valid token: ${JSON.stringify(ok)}`)
  check(jwksRequests === 1, `JWKS fetched ${jwksRequests} times`)
  const missing = await handler(httpEvent(), { ...context })
  check(
    missing.statusCode === 401 && missing.headers['Content-Type'] === 'application/problem+json',
    `no token: ${JSON.stringify(missing)}`,
  )
  const groupless = token({ 'cognito:groups': [] })
  const forbidden = await handler(httpEvent({ headers: { authorization: `Bearer ${groupless}` } }), {
    ...context,
  })
  check(forbidden.statusCode === 403, `not in the admin group: ${JSON.stringify(forbidden)}`)
  const idToken = token({ token_use: 'id', aud: 'my-app-client-id', client_id: undefined })
  const refused = await handler(httpEvent({ headers: { authorization: `Bearer ${idToken}` } }), {
    ...context,
  })
  check(refused.statusCode === 401, `ID token as a bearer token: ${JSON.stringify(refused)}`)

  // What the CommonJS docs say: Middy 7 cannot be require()d.
  let requireError
  try {
    createRequire(import.meta.url)('@middy/core')
  } catch (error) {
    requireError = error.code
  }
  check(
    requireError === 'ERR_PACKAGE_PATH_NOT_EXPORTED',
    `require('@middy/core'): ${requireError ?? 'loaded'}`,
  )
  console.log('ok')
} finally {
  server.close()
}
