import { createRequire } from 'node:module'
import { observability } from '@lift/observability'
import middy from '@middy/core'
import { check, context, httpEvent } from './http-event.mjs'

process.env.POWERTOOLS_METRICS_NAMESPACE = 'Smoke'
const lines = []
const write = process.stdout.write.bind(process.stdout)
process.stdout.write = (chunk) => {
  lines.push(String(chunk))
  return true
}
const handler = middy(async () => ({ statusCode: 200, body: 'ok' })).use(
  observability({ serviceName: 'smoke' }),
)
const response = await handler(httpEvent({ headers: { 'x-correlation-id': 'smoke-1' } }), context)
process.stdout.write = write
check(response.headers['x-correlation-id'] === 'smoke-1', `correlation id: ${JSON.stringify(response)}`)
check(
  lines.some((line) => line.includes('"Latency"') && line.includes('"_aws"')),
  `EMF line: ${lines.join('')}`,
)
check(
  typeof createRequire(import.meta.url)('@lift/observability').observability === 'function',
  'CommonJS entry',
)
console.log('ok')
