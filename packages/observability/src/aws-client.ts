import { invocationStore } from './invocation'
import type { DependencyCallResult } from './tracing'

/** The part of an AWS SDK v3 client (DynamoDBClient, SecretsManagerClient…) that captureAwsClient uses. */
export interface AwsClientLike {
  readonly middlewareStack: {
    add(middleware: never, options: { step: 'build'; name: string; override?: boolean }): void
  }
  readonly config?: { readonly serviceId?: string; readonly region?: unknown }
}

/** The name of the middleware captureAwsClient adds; adding it again replaces it (never two spans per call). */
export const AWS_CLIENT_MIDDLEWARE = 'liftObservabilityTracing'

/**
 * Traces every call an AWS SDK v3 client makes during an invocation: a child of the invocation's span, with
 * whatever tracer `observability({ tracer })` uses — an X-Ray `aws` subsegment (`DynamoDB`, operation, region,
 * request id, error/throttle/fault flags, like Powertools' captureAWSv3Client) or an OpenTelemetry CLIENT span.
 * The trace context travels to the service in the request headers. Outside an invocation, or with tracing
 * off, a call costs one AsyncLocalStorage read. Returns the client (so it can wrap the constructor call);
 * capturing a client twice is harmless.
 * @example
 * ```ts
 * import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
 * import { captureAwsClient, observability } from '@lift/observability'
 * import middy from '@middy/core'
 *
 * const dynamo = captureAwsClient(new DynamoDBClient({}))
 * export const main = middy().use(observability({ tracer: true })).handler(async () => {
 *   await dynamo.send(new DescribeTableCommand({ TableName: 'orders' }))
 *   return { statusCode: 204 }
 * })
 * ```
 */
export function captureAwsClient<Client extends AwsClientLike>(client: Client): Client {
  if (typeof (client as Partial<AwsClientLike> | undefined)?.middlewareStack?.add !== 'function')
    throw new TypeError(
      'captureAwsClient: `client` must be an AWS SDK v3 client (new DynamoDBClient({}), ...)',
    )
  client.middlewareStack.add(tracingMiddleware(client) as never, {
    step: 'build',
    name: AWS_CLIENT_MIDDLEWARE,
    override: true,
  })
  return client
}

interface SdkMetadata {
  httpStatusCode?: number
  requestId?: string
  attempts?: number
}

type Next = (args: { request?: unknown }) => Promise<{ output?: { $metadata?: SdkMetadata } }>

function tracingMiddleware(client: AwsClientLike) {
  return (next: Next, context: { clientName?: string; commandName?: string }) =>
    async (args: { request?: unknown }) => {
      const state = invocationStore().getStore()
      const trace = state === undefined || state.ended ? undefined : state.trace
      if (trace?.startCall === undefined) return next(args)
      const call = trace.startCall({
        service: client.config?.serviceId ?? (context.clientName ?? 'AWS').replace(/Client$/, ''),
        operation: (context.commandName ?? 'unknown').replace(/Command$/, ''),
        region: await regionOf(client),
      })
      const headers = (args.request as { headers?: Record<string, string> } | undefined)?.headers
      if (typeof headers === 'object' && headers !== null) Object.assign(headers, call.headers)
      try {
        const result = await next(args)
        call.end(resultOf(result.output?.$metadata))
        return result
      } catch (error) {
        const failure = error as { name?: unknown; message?: unknown; $metadata?: SdkMetadata }
        const name = typeof failure?.name === 'string' ? failure.name : 'Error'
        call.end({
          ...resultOf(failure?.$metadata),
          error: { name, message: typeof failure?.message === 'string' ? failure.message : '' },
          throttled: failure?.$metadata?.httpStatusCode === 429 || /Throttl|TooManyRequests/.test(name),
        })
        throw error
      }
    }
}

function resultOf(metadata: SdkMetadata | undefined): DependencyCallResult {
  return {
    statusCode: metadata?.httpStatusCode,
    requestId: metadata?.requestId,
    attempts: metadata?.attempts,
  }
}

async function regionOf(client: AwsClientLike): Promise<string | undefined> {
  const region = client.config?.region
  try {
    const value = typeof region === 'function' ? await (region as () => unknown)() : region
    return typeof value === 'string' ? value : undefined
  } catch {
    return undefined
  }
}
