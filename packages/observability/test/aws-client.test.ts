// captureAwsClient's edge cases, on a minimal client stand-in (the real SDK client against a local endpoint
// is in xray.test.ts and otel.test.ts): odd client configs and errors never break the call or the trace.
import { Logger } from '@aws-lambda-powertools/logger'
import { Metrics } from '@aws-lambda-powertools/metrics'
import { afterEach, describe, expect, it } from '@jest/globals'
import { apiGatewayV2Event, lambdaContext } from '@lift/testing'
import middy from '@middy/core'
import {
  AWS_CLIENT_MIDDLEWARE,
  captureAwsClient,
  type DependencyCall,
  type DependencyCallResult,
  type LiftTracer,
  observability,
  powertoolsTracer,
} from '../src/index'
import { type Captured, captureOutput } from './support/capture'

process.env.POWERTOOLS_METRICS_NAMESPACE = 'LiftTest'

type Middleware = (
  next: (args: { request?: unknown }) => Promise<unknown>,
  context: { clientName?: string; commandName?: string },
) => (args: { request?: unknown }) => Promise<unknown>

/** A client with a one-slot build stack: `send` runs the middleware around `respond`. */
function standInClient(config: Record<string, unknown> | undefined, respond: () => Promise<unknown>) {
  const stack = new Map<string, Middleware>()
  return {
    config,
    stack,
    middlewareStack: {
      add(middleware: never, options: { name: string; override?: boolean }) {
        if (stack.has(options.name) && !options.override) throw new Error('duplicate middleware')
        stack.set(options.name, middleware)
      },
    },
    send(context: { clientName?: string; commandName?: string }, request?: unknown) {
      const middleware = stack.get(AWS_CLIENT_MIDDLEWARE)!
      return middleware(respond, context)({ request })
    },
  }
}

function recordingTracer() {
  const calls: { call: DependencyCall; result?: DependencyCallResult }[] = []
  const tracer: LiftTracer = {
    startInvocation: () => ({
      annotate() {},
      error() {},
      end() {},
      startCall(call) {
        const entry: (typeof calls)[number] = { call }
        calls.push(entry)
        return {
          headers: { 'x-trace': 'parent' },
          end(result) {
            entry.result = result
          },
        }
      },
    }),
  }
  return { tracer, calls }
}

let out: Captured | undefined
afterEach(() => out?.restore())

function invoke(tracer: LiftTracer, body: () => Promise<unknown>) {
  const handler = middy()
    .use(observability({ logger: new Logger(), metrics: new Metrics(), tracer }))
    .handler(async () => {
      await body()
      return { statusCode: 200, body: 'ok' }
    })
  out = captureOutput()
  return handler(apiGatewayV2Event(), lambdaContext())
}

describe('captureAwsClient', () => {
  it('names calls from the client and command names when the config has no serviceId, adds the headers', async () => {
    const { tracer, calls } = recordingTracer()
    const client = captureAwsClient(
      standInClient({ region: 'eu-central-1' }, async () => ({
        output: { $metadata: { httpStatusCode: 200, requestId: 'r1', attempts: 2 } },
      })),
    )
    const request = { headers: {} as Record<string, string> }
    await invoke(tracer, () =>
      client.send({ clientName: 'SQSClient', commandName: 'SendMessageCommand' }, request),
    )
    expect(calls).toEqual([
      {
        call: { service: 'SQS', operation: 'SendMessage', region: 'eu-central-1' },
        result: { statusCode: 200, requestId: 'r1', attempts: 2 },
      },
    ])
    expect(request.headers).toEqual({ 'x-trace': 'parent' })
  })

  it('copes with no config, no names, a failing region provider and odd errors', async () => {
    const { tracer, calls } = recordingTracer()
    const bare = captureAwsClient(
      standInClient(undefined, async () => {
        throw 'plain string'
      }),
    )
    const failingRegion = captureAwsClient(
      standInClient(
        {
          serviceId: 'S3',
          region: async () => {
            throw new Error('no region')
          },
        },
        async () => {
          throw Object.assign(new Error('slow down'), {
            name: 'SlowDown',
            $metadata: { httpStatusCode: 503, attempts: 3 },
          })
        },
      ),
    )
    const throttled = captureAwsClient(
      standInClient({ serviceId: 'Lambda', region: 7 }, async () => {
        throw Object.assign(new Error('rate exceeded'), { name: 'TooManyRequestsException', $metadata: {} })
      }),
    )
    await invoke(tracer, async () => {
      await expect(bare.send({})).rejects.toBe('plain string')
      await expect(
        failingRegion.send({ commandName: 'GetObjectCommand' }, 'not an HTTP request'),
      ).rejects.toThrow('slow down')
      await expect(throttled.send({ commandName: 'InvokeCommand' })).rejects.toThrow('rate exceeded')
    })
    expect(calls).toEqual([
      {
        call: { service: 'AWS', operation: 'unknown', region: undefined },
        result: { error: { name: 'Error', message: '' }, throttled: false },
      },
      {
        call: { service: 'S3', operation: 'GetObject', region: undefined },
        result: {
          statusCode: 503,
          attempts: 3,
          error: { name: 'SlowDown', message: 'slow down' },
          throttled: false,
        },
      },
      {
        call: { service: 'Lambda', operation: 'Invoke', region: undefined },
        result: { error: { name: 'TooManyRequestsException', message: 'rate exceeded' }, throttled: true },
      },
    ])
  })

  it('capturing twice replaces the middleware; calls outside an invocation or after it are not traced', async () => {
    const { tracer, calls } = recordingTracer()
    const client = standInClient({ serviceId: 'DynamoDB' }, async () => ({ output: {} }))
    captureAwsClient(captureAwsClient(client))
    expect(client.stack.size).toBe(1)
    await client.send({ commandName: 'ListTablesCommand' })
    await invoke(tracer, async () => {})
    // The invocation has ended; this continuation of the test still holds its (ended) state.
    await client.send({ commandName: 'ListTablesCommand' })
    expect(calls).toHaveLength(0)
  })

  it.each([
    ['undefined (a client created later, a typo in its name)', undefined],
    ['a command instead of a client', { input: {} }],
    ['a v2 client without middlewareStack', { config: {} }],
  ])('refuses %s with an error naming the option, not a TypeError from inside', (_name, client) => {
    expect(() => captureAwsClient(client as never)).toThrow(
      new TypeError('captureAwsClient: `client` must be an AWS SDK v3 client (new DynamoDBClient({}), ...)'),
    )
  })
})

describe('powertoolsTracer', () => {
  const subsegment = () => {
    const node = {
      attributes: {} as Record<string, unknown>,
      flags: [] as string[],
      children: [] as unknown[],
      addNewSubsegment(name: string) {
        const child = Object.assign(subsegment(), { name })
        node.children.push(child)
        return child
      },
      addAttribute(name: string, value: unknown) {
        node.attributes[name] = value
      },
      addAnnotation() {},
      addError: () => node.flags.push('fault'),
      addErrorFlag: () => node.flags.push('error'),
      addFaultFlag: () => node.flags.push('fault'),
      addThrottleFlag: () => node.flags.push('throttle'),
      close: () => node.flags.push('closed'),
    }
    return node
  }

  function tracerLike(enabled: boolean, segment: ReturnType<typeof subsegment> | undefined) {
    return {
      isTracingEnabled: () => enabled,
      getSegment: () => segment as never,
      setSegment() {},
      annotateColdStart() {},
      addServiceNameAnnotation() {},
      putAnnotation() {},
    }
  }

  it('traces nothing when tracing is disabled or there is no segment', () => {
    for (const tracer of [tracerLike(false, subsegment()), tracerLike(true, undefined)]) {
      const trace = powertoolsTracer(tracer).startInvocation({ route: 'r', coldStart: false })
      expect(trace.startCall).toBeUndefined()
      trace.end('success')
    }
  })

  it('a call without a trace id sends no header; a 5xx is a fault', () => {
    const root = subsegment()
    const trace = powertoolsTracer(tracerLike(true, root)).startInvocation({ route: 'r', coldStart: true })
    const call = trace.startCall!({ service: 'DynamoDB', operation: 'GetItem' })
    expect(call.headers).toEqual({})
    call.end({ statusCode: 500, error: { name: 'InternalServerError', message: 'x' } })
    trace.end('success')
    const handler = root.children[0] as ReturnType<typeof subsegment>
    const aws = handler.children[0] as ReturnType<typeof subsegment>
    expect(aws.attributes).toMatchObject({ namespace: 'aws', http: { response: { status: 500 } } })
    expect(aws.flags).toEqual(['fault', 'fault', 'closed'])
  })
})
