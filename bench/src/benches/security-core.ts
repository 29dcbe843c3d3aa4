// @lift/security-core: what httpRequestView adds to a Middy handler, per event source.
import { randomBytes } from 'node:crypto'
import { httpRequestView } from '@lift/security-core'
import {
  albEvent,
  apiGatewayV1Event,
  apiGatewayV2Event,
  functionUrlEvent,
  lambdaContext,
} from '@lift/testing'
import middy from '@middy/core'
import { type BenchGroup, invocationEvent, runSuite } from '../harness'

const context = lambdaContext()
const ok = { statusCode: 200, body: '' }

const bare = middy().handler(async () => ok)

const readsView = middy().handler(async (event: unknown) => {
  const view = httpRequestView(event)
  return view.header('user-agent') && view.method && view.path && view.query.page ? ok : failed(view)
})

const readsRawBody = middy().handler(async (event: unknown) => {
  const view = httpRequestView(event)
  return view.rawBody?.length === 1024 ? ok : failed(view)
})

// The floor: the same four fields read straight off an event whose shape is known in advance.
type RawEvent = {
  headers: Record<string, string>
  httpMethod?: string
  path?: string
  rawPath?: string
  requestContext: { http?: { method: string } }
  queryStringParameters: Record<string, string>
  body: string
}
const readsFields = middy<RawEvent>().handler(async (event) => {
  const method = event.httpMethod ?? event.requestContext.http?.method
  const path = event.rawPath ?? event.path
  return event.headers['user-agent'] && method && path && event.queryStringParameters.page
    ? ok
    : failed(event)
})
const decodesBody = middy<RawEvent>().handler(async (event) =>
  Buffer.from(event.body, 'base64').length === 1024 ? ok : failed(event),
)

function failed(view: unknown): never {
  throw new Error(`the view did not read the request: ${JSON.stringify(view)}`)
}

const request = {
  method: 'GET',
  path: '/orders/42',
  query: { page: '2', sort: 'date' },
  headers: {
    accept: 'application/json',
    'user-agent': 'bench/1.0',
    'x-forwarded-for': '203.0.113.7',
    authorization: 'Bearer x',
  },
  sourceIp: '203.0.113.7',
}

const sources = [
  ['API Gateway REST (v1)', apiGatewayV1Event(request)],
  ['API Gateway HTTP API (v2)', apiGatewayV2Event(request)],
  ['ALB', albEvent(request)],
  ['Function URL', functionUrlEvent(request)],
] as const

const expect200 = (result: unknown) => {
  if ((result as { statusCode?: number }).statusCode !== 200)
    throw new Error(`expected 200, got ${JSON.stringify(result)}`)
}

// httpRequestView memoizes per event object, so every call gets a fresh shallow copy (the baseline too).
const viewGroups: BenchGroup[] = sources.map(([source, event]) => ({
  name: source,
  baseline: {
    name: 'bare Middy handler',
    run: () => bare(invocationEvent(event), context),
    check: expect200,
  },
  limit: {
    name: 'limit: the four fields read off the known event shape',
    run: () => readsFields(invocationEvent(event) as never, context),
    check: expect200,
  },
  cases: [
    {
      name: 'httpRequestView + header, method, path, query',
      run: () => readsView(invocationEvent(event), context),
      check: expect200,
    },
  ],
}))

const bodyEvent = apiGatewayV2Event({
  ...request,
  method: 'POST',
  headers: { ...request.headers, 'content-type': 'application/octet-stream' },
  body: randomBytes(1024).toString('base64'),
  isBase64Encoded: true,
})

await runSuite({
  name: 'security-core',
  description:
    '`httpRequestView(event)` in a Middy handler, reading a header, the method, the path and a query ' +
    'parameter, for each event source (events from the `@lift/testing` builders, 4 headers, 2 query ' +
    'parameters); and the lazy `rawBody` of a 1 KiB base64 body. The limit reads the same fields straight off ' +
    'an event whose shape is known (no source detection, no normalization).',
  groups: [
    ...viewGroups,
    {
      name: '1 KiB base64 body (v2)',
      baseline: {
        name: 'bare Middy handler',
        run: () => bare(invocationEvent(bodyEvent), context),
        check: expect200,
      },
      limit: {
        name: 'limit: Buffer.from(body, base64)',
        run: () => decodesBody(invocationEvent(bodyEvent) as never, context),
        check: expect200,
      },
      cases: [
        {
          name: 'httpRequestView + rawBody',
          run: () => readsRawBody(invocationEvent(bodyEvent), context),
          check: expect200,
        },
      ],
    },
  ],
})
