import { createRequire } from 'node:module'
import { memoryStore, rateLimit } from '@lift/rate-limit'
import middy from '@middy/core'
import { check, context, httpEvent } from './http-event.mjs'

const handler = middy(async () => ({ statusCode: 200, body: 'ok' }))
  .use(
    rateLimit({
      key: 'ip',
      limits: [{ name: 'minute', limit: 2, windowSec: 60, algorithm: 'fixed-window' }],
      store: memoryStore(),
    }),
  )
  .onError((request) => {
    request.response = { statusCode: request.error.statusCode, headers: request.error.headers, body: '' }
  })

const statuses = []
for (let i = 0; i < 3; i++) statuses.push((await handler(httpEvent(), context)).statusCode)
check(statuses.join() === '200,200,429', `statuses: ${statuses}`)
const admitted = await handler(httpEvent({ sourceIp: '198.51.100.1' }), context)
check(
  admitted.headers?.RateLimit?.startsWith('"minute";r=1') ||
    admitted.headers?.ratelimit?.startsWith('"minute";r=1'),
  `headers: ${JSON.stringify(admitted.headers)}`,
)
check(typeof createRequire(import.meta.url)('@lift/rate-limit').rateLimit === 'function', 'CommonJS entry')
console.log('ok')
