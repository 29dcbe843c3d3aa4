import { createRequire } from 'node:module'
import { healthCheck } from '@lift/health'
import middy from '@middy/core'
import { check, context, httpEvent } from './http-event.mjs'

let upstreamCalls = 0
const handler = middy(async () => ({ statusCode: 200, body: 'business' })).use(
  healthCheck({
    checks: {
      'upstream:responseTime': async () => {
        upstreamCalls += 1
        return { status: 'pass' }
      },
    },
  }),
)

const live = await handler(httpEvent({ path: '/health/live' }), context)
check(live.statusCode === 200 && JSON.parse(live.body).status === 'pass', `liveness: ${JSON.stringify(live)}`)
const full = await handler(httpEvent({ path: '/health' }), context)
check(full.statusCode === 200 && upstreamCalls === 1, `full report: ${JSON.stringify(full)}`)
const business = await handler(httpEvent({ path: '/orders' }), context)
check(business.body === 'business', 'other paths pass through')
check(typeof createRequire(import.meta.url)('@lift/health').healthCheck === 'function', 'CommonJS entry')
console.log('ok')
