import type { SecurityEvent } from '@lift/security-core'
import { subscribeSecurityEvents } from '@lift/security-core'
import { lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import httpErrorHandler from '@middy/http-error-handler'
import { type VerifySignatureOptions, verifySignature } from '../../src/index'

export interface Outcome {
  statusCode: number
  headers: Record<string, string>
  body: string
  principal: unknown
  events: SecurityEvent[]
}

/** Runs `event` through middy(handler).use(httpErrorHandler()).use(verifySignature(options)). */
export async function invoke(options: VerifySignatureOptions, event: unknown): Promise<Outcome> {
  let principal: unknown
  const handler = middy(async (_event: unknown, context: { principal?: unknown }) => {
    principal = context.principal
    return { statusCode: 200, body: 'ok' }
  })
    .use(httpErrorHandler({ logger: false }))
    .use(verifySignature(options))
  const events: SecurityEvent[] = []
  const unsubscribe = subscribeSecurityEvents((e) => {
    if (e.type === 'signature') events.push(e)
  })
  try {
    const response = (await handler(event as never, lambdaContext() as never)) as {
      statusCode: number
      headers?: Record<string, string>
      body: string
    }
    return {
      statusCode: response.statusCode,
      headers: response.headers ?? {},
      body: response.body,
      principal,
      events,
    }
  } finally {
    unsubscribe()
  }
}
