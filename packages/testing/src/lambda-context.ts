import { randomBytes } from 'node:crypto'
import type { ClientContext, CognitoIdentity, Context } from 'aws-lambda'
import { TEST_ACCOUNT_ID, TEST_REGION, uuid } from './aws-ids'

/** What {@link lambdaContext} builds the `Context` from; every field is optional. */
export interface LambdaContextInit {
  /** Default `lift-test-function`. */
  functionName?: string
  /** Default `$LATEST`. */
  functionVersion?: string
  /** Default 128. */
  memoryLimitInMB?: number | string
  /** Default: a random UUID. */
  awsRequestId?: string
  /** Default `us-east-1`. */
  region?: string
  /** Default `123456789012`. */
  accountId?: string
  /** Invocation timeout: `getRemainingTimeInMillis()` counts down from it (default 30 000). */
  timeoutMs?: number
  /** Clock in epoch ms (default `Date.now`); the deadline is `now() + timeoutMs` at creation. */
  now?: () => number
  callbackWaitsForEmptyEventLoop?: boolean
  identity?: CognitoIdentity
  clientContext?: ClientContext
  tenantId?: string
}

/**
 * A complete Lambda `Context`. The legacy `done`/`fail`/`succeed` callbacks throw: handlers should
 * return or throw instead, and a test that reaches them should say so loudly.
 *
 * @example
 * ```ts
 * import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
 *
 * let clock = 1_700_000_000_000
 * const context = lambdaContext({ functionName: 'orders-api', timeoutMs: 3_000, now: () => clock })
 * clock += 1_000
 * // context.getRemainingTimeInMillis() → 2000
 * // context.invokedFunctionArn → 'arn:aws:lambda:us-east-1:123456789012:function:orders-api'
 * await handler(apiGatewayV2Event(), context)
 * ```
 */
export function lambdaContext(init: LambdaContextInit = {}): Context {
  const now = init.now ?? Date.now
  const timeoutMs = init.timeoutMs ?? 30_000
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new TypeError(`timeoutMs must be a non-negative number of milliseconds (got ${timeoutMs})`)
  }
  const deadline = now() + timeoutMs
  const functionName = init.functionName ?? 'lift-test-function'
  const functionVersion = init.functionVersion ?? '$LATEST'
  const region = init.region ?? TEST_REGION
  const legacy = (name: string) => () => {
    throw new Error(
      `context.${name}() is a legacy callback that lambdaContext() does not support; return or throw`,
    )
  }

  const context: Context = {
    callbackWaitsForEmptyEventLoop: init.callbackWaitsForEmptyEventLoop ?? true,
    functionName,
    functionVersion,
    invokedFunctionArn: `arn:aws:lambda:${region}:${init.accountId ?? TEST_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(init.memoryLimitInMB ?? 128),
    awsRequestId: init.awsRequestId ?? uuid(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: logStreamName(now(), functionVersion),
    getRemainingTimeInMillis: () => Math.max(0, deadline - now()),
    done: legacy('done'),
    fail: legacy('fail'),
    succeed: legacy('succeed'),
  }
  if (init.identity) context.identity = init.identity
  if (init.clientContext) context.clientContext = init.clientContext
  if (init.tenantId) context.tenantId = init.tenantId
  return context
}

function logStreamName(epochMs: number, version: string): string {
  const date = new Date(epochMs).toISOString().slice(0, 10).replaceAll('-', '/')
  return `${date}/[${version}]${randomBytes(16).toString('hex')}`
}
