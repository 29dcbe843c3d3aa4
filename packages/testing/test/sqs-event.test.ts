import { createHash } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { md5OfMessageAttributes, sqsEvent, TEST_QUEUE_ARN } from '../src/index'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('sqsEvent', () => {
  it('turns bodies into records with the fields the Lambda event source mapping sends', () => {
    const event = sqsEvent(['Test message.', { orderId: 7 }])
    expect(event.Records).toHaveLength(2)
    const [first, second] = event.Records
    expect(Object.keys(first!).sort()).toEqual(
      [
        'messageId',
        'receiptHandle',
        'body',
        'attributes',
        'messageAttributes',
        'md5OfBody',
        'eventSource',
        'eventSourceARN',
        'awsRegion',
      ].sort(),
    )
    expect(first).toMatchObject({
      body: 'Test message.',
      // The digest in the AWS Lambda developer guide's sample event for this body.
      md5OfBody: 'e4e68fb7bd0e697a0ae8f1bb342846b3',
      messageAttributes: {},
      eventSource: 'aws:sqs',
      eventSourceARN: TEST_QUEUE_ARN,
      awsRegion: 'us-east-1',
    })
    expect(first!.messageId).toMatch(UUID)
    expect(first!.messageId).not.toBe(second!.messageId)
    expect(first!.attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: expect.any(String) })
    expect(first!.attributes.SentTimestamp).toMatch(/^\d{13}$/)
    expect(second!.body).toBe('{"orderId":7}')
    expect(second!.md5OfBody).toBe(createHash('md5').update('{"orderId":7}').digest('hex'))
  })

  it('takes full records, a queue and a send time', () => {
    const event = sqsEvent({
      queueArn: 'arn:aws:sqs:eu-west-1:111122223333:orders.fifo',
      sentAt: 1_700_000_000_000,
      records: [
        {
          body: 'x',
          messageId: 'm-1',
          attributes: { MessageGroupId: 'g1', ApproximateReceiveCount: '3' },
          messageAttributes: { trace: { dataType: 'String', stringValue: 'abc' } },
        },
      ],
    })
    const record = event.Records[0]!
    expect(record).toMatchObject({
      messageId: 'm-1',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:orders.fifo',
      awsRegion: 'eu-west-1',
      attributes: {
        MessageGroupId: 'g1',
        ApproximateReceiveCount: '3',
        SentTimestamp: '1700000000000',
        ApproximateFirstReceiveTimestamp: '1700000000000',
      },
    })
    expect(record.md5OfMessageAttributes).toBe(md5OfMessageAttributes(record.messageAttributes))
  })

  it('computes md5OfMessageAttributes as SQS does (vectors from independent implementations)', () => {
    expect(md5OfMessageAttributes({ timestamp: { dataType: 'Number', stringValue: '1493147359900' } })).toBe(
      '235c5c510d26fb653d073faed50ae77c',
    )
    expect(
      md5OfMessageAttributes({
        ordinal: { dataType: 'Number', stringValue: '1' },
        category: { dataType: 'String', stringValue: 'test' },
      }),
    ).toBe('d21ae90c49061e927f57df5f5d72be1f')
    expect(
      md5OfMessageAttributes({
        test_attribute_name_2: { dataType: 'String', stringValue: 'test_attribute_value_2' },
        test_attribute_name_1: { dataType: 'String', stringValue: 'test_attribute_value_1' },
      }),
    ).toBe('d53f3b558fe951154770f25cb63dbba9')
    const binary = Buffer.from('test_attribute_value').toString('base64')
    expect(md5OfMessageAttributes({ test_attribute_name: { dataType: 'Binary', binaryValue: binary } })).toBe(
      '23f6bd27ea87aab7dfeadcc9aebee495',
    )
  })
})
