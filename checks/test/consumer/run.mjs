// Invokes the consumer handler named on the command line (handler.mjs or handler.cjs) as Lambda would.
import { createRequire } from 'node:module'
import { check, context, httpEvent } from './http-event.mjs'
import { secret, token } from './token.mjs'

process.env.JWT_SECRET = secret
const file = process.argv[2]
const { handler } = file.endsWith('.cjs')
  ? createRequire(import.meta.url)(`./${file}`)
  : await import(`./${file}`)

const ok = await handler(httpEvent({ headers: { authorization: `Bearer ${token()}` } }), { ...context })
check(ok.statusCode === 200 && JSON.parse(ok.body).hello === 'u1', `valid token: ${JSON.stringify(ok)}`)
const missing = await handler(httpEvent(), { ...context })
check(
  missing.statusCode === 401 && missing.headers['Content-Type'] === 'application/problem+json',
  `no token: ${JSON.stringify(missing)}`,
)
const forbidden = await handler(httpEvent({ headers: { authorization: `Bearer ${token({ roles: [] })}` } }), {
  ...context,
})
check(forbidden.statusCode === 403, `missing role: ${JSON.stringify(forbidden)}`)

// What the CommonJS docs say: Middy 7 cannot be require()d.
let requireError
try {
  createRequire(import.meta.url)('@middy/core')
} catch (error) {
  requireError = error.code
}
check(requireError === 'ERR_PACKAGE_PATH_NOT_EXPORTED', `require('@middy/core'): ${requireError ?? 'loaded'}`)
console.log('ok')
