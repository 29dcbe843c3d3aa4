import { createRequire } from 'node:module'
import { httpRequestView, LiftHttpError, problemResponse } from '@lift/security-core'
import middy from '@middy/core'
import { check, context, httpEvent } from './http-event.mjs'

const handler = middy(async (event) => {
  const view = httpRequestView(event)
  if (view.header('x-fail')) throw new LiftHttpError(400, { code: 'bad', detail: 'Bad.' })
  return { statusCode: 200, body: view.sourceIp }
}).onError((request) => {
  request.response = problemResponse(request.error)
})

const ok = await handler(httpEvent(), context)
check(ok.statusCode === 200 && ok.body === '203.0.113.7', `view: ${JSON.stringify(ok)}`)
const bad = await handler(httpEvent({ headers: { 'x-fail': '1' } }), context)
check(bad.statusCode === 400 && bad.headers['Content-Type'] === 'application/problem+json', 'problem+json')
check(
  typeof createRequire(import.meta.url)('@lift/security-core').httpRequestView === 'function',
  'CommonJS entry',
)
console.log('ok')
