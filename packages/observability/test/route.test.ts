// The route dimension: bounded values from the route key or the event source, never a raw path or id.
import { describe, expect, it } from '@jest/globals'
import { httpRequestView } from '@lift/security-core'
import { albEvent, apiGatewayV1Event, apiGatewayV2Event, eventBridgeEvent, sqsEvent } from '@lift/testing'
import { eventSourceRoute, httpRoute } from '../src/route'

describe('httpRoute', () => {
  it('is the route key, never the path; no key or $default is other', () => {
    expect(
      httpRoute(httpRequestView(apiGatewayV2Event({ routeKey: 'GET /items/{id}', path: '/items/9' }))),
    ).toBe('GET /items/{id}')
    expect(httpRoute(httpRequestView(apiGatewayV2Event({ routeKey: '$default', path: '/x' })))).toBe('other')
    expect(httpRoute(httpRequestView(albEvent({ path: '/items/9' })))).toBe('other')
    const rest = apiGatewayV1Event({ method: 'GET', path: '/items/9', resource: '/items/{id}' })
    expect(httpRoute(httpRequestView(rest))).toBe('GET /items/{id}')
  })
})

describe('eventSourceRoute', () => {
  it.each([
    [
      'SQS',
      sqsEvent({ records: [{ body: '{}' }], queueArn: 'arn:aws:sqs:eu-west-1:1:orders' }),
      'sqs:orders',
    ],
    [
      'SNS',
      {
        Records: [
          {
            EventSource: 'aws:sns',
            EventSubscriptionArn: 'arn:aws:sns:eu-west-1:1:alerts:0c3b1f2e-1111-2222-3333-444455556666',
          },
        ],
      },
      'sns:alerts',
    ],
    [
      'DynamoDB Streams',
      {
        Records: [
          { eventSource: 'aws:dynamodb', eventSourceARN: 'arn:aws:dynamodb:eu-west-1:1:table/t/stream/x' },
        ],
      },
      'dynamodb:table/t/stream/x',
    ],
    ['S3 (no ARN)', { Records: [{ eventSource: 'aws:s3' }] }, 's3:other'],
    ['a record without a source', { Records: [{ body: 'x' }] }, 'other'],
    ['EventBridge', eventBridgeEvent({ detailType: 'OrderPlaced', source: 'shop' }), 'events:OrderPlaced'],
    [
      'a schedule',
      eventBridgeEvent({ resources: ['arn:aws:events:eu-west-1:1:rule/nightly'] }),
      'schedule:nightly',
    ],
    ['a schedule without a rule', eventBridgeEvent({ resources: [] }), 'schedule:other'],
    ['an unknown object', { hello: 'world' }, 'other'],
    ['a string', 'ping', 'other'],
    ['null', null, 'other'],
  ])('%s', (_name, event, route) => {
    expect(eventSourceRoute(event)).toBe(route)
  })

  it('caps the length', () => {
    const event = eventBridgeEvent({ detailType: 'x'.repeat(500), source: 'shop' })
    expect(eventSourceRoute(event)).toHaveLength(120)
  })
})
