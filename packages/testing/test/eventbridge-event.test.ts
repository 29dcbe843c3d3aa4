import { describe, expect, it } from '@jest/globals'
import { eventBridgeEvent, TEST_SCHEDULE_RULE_ARN } from '../src/index'

describe('eventBridgeEvent', () => {
  it('is a scheduled event by default, in the documented shape', () => {
    const event = eventBridgeEvent({ time: Date.UTC(2019, 2, 1, 12, 0, 0, 450) })
    expect(Object.keys(event).sort()).toEqual(
      ['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail'].sort(),
    )
    expect(event).toMatchObject({
      version: '0',
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: '123456789012',
      time: '2019-03-01T12:00:00Z',
      region: 'us-east-1',
      resources: [TEST_SCHEDULE_RULE_ARN],
      detail: {},
    })
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(eventBridgeEvent().time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
  })

  it('carries a custom source, detail type and typed detail', () => {
    const event = eventBridgeEvent<'OrderPlaced', { orderId: string }>({
      source: 'com.example.orders',
      detailType: 'OrderPlaced',
      detail: { orderId: 'o-1' },
      id: 'e-1',
      account: '111122223333',
      region: 'eu-west-1',
    })
    const orderId: string = event.detail.orderId
    expect(orderId).toBe('o-1')
    expect(event).toMatchObject({
      id: 'e-1',
      source: 'com.example.orders',
      'detail-type': 'OrderPlaced',
      account: '111122223333',
      region: 'eu-west-1',
      resources: [],
    })
    expect(eventBridgeEvent({ detailType: 'X', resources: ['arn:r'] }).resources).toEqual(['arn:r'])
  })
})
