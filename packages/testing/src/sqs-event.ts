import { createHash } from 'node:crypto'
import type { SQSEvent, SQSMessageAttributes, SQSRecord, SQSRecordAttributes } from 'aws-lambda'
import { TEST_ACCOUNT_ID, TEST_REGION, uuid } from './aws-ids'

/** One message: its body (a non-string is sent as JSON) and any record field to set explicitly. */
export interface SqsRecordInit
  extends Partial<Omit<SQSRecord, 'body' | 'attributes' | 'md5OfBody' | 'md5OfMessageAttributes'>> {
  body: unknown
  attributes?: Partial<SQSRecordAttributes>
}

/** Records with full control, and the queue they come from. */
export interface SqsEventInit {
  records: readonly SqsRecordInit[]
  /** eventSourceARN of every record (default `arn:aws:sqs:us-east-1:123456789012:lift-test-queue`). */
  queueArn?: string
  /** SentTimestamp / ApproximateFirstReceiveTimestamp in epoch ms (default: now). */
  sentAt?: number
}

/** The queue in `eventSourceARN` of every {@link sqsEvent} record without `queueArn` or `eventSourceARN`. */
export const TEST_QUEUE_ARN = `arn:aws:sqs:${TEST_REGION}:${TEST_ACCOUNT_ID}:lift-test-queue`

/**
 * An SQS event as the Lambda event source mapping delivers it. Pass message bodies (strings as is,
 * anything else as JSON), or `{ records }` to set ids, attributes and message attributes. `md5OfBody`
 * and `md5OfMessageAttributes` are the real digests, computed as SQS does.
 *
 * @example
 * ```ts
 * import { sqsEvent } from '@lift/testing'
 *
 * const batch = sqsEvent([{ orderId: '42' }, 'plain text']) // two records, the first as JSON
 * const detailed = sqsEvent({
 *   queueArn: 'arn:aws:sqs:eu-west-1:123456789012:orders',
 *   records: [
 *     {
 *       body: { orderId: '43' },
 *       messageId: 'c4f1b8d2-0000-4000-8000-000000000043',
 *       messageAttributes: { tenant: { dataType: 'String', stringValue: 'acme', stringListValues: [], binaryListValues: [] } },
 *     },
 *   ],
 * })
 * ```
 */
export function sqsEvent(input: readonly unknown[] | SqsEventInit): SQSEvent {
  const init: SqsEventInit = Array.isArray(input)
    ? { records: input.map((body) => ({ body })) }
    : (input as SqsEventInit)
  const queueArn = init.queueArn ?? TEST_QUEUE_ARN
  const sentAt = String(init.sentAt ?? Date.now())
  return {
    Records: init.records.map((record) => {
      const body = typeof record.body === 'string' ? record.body : JSON.stringify(record.body)
      const messageAttributes = record.messageAttributes ?? {}
      const built: SQSRecord = {
        messageId: record.messageId ?? uuid(),
        receiptHandle: record.receiptHandle ?? Buffer.from(uuid()).toString('base64'),
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: sentAt,
          SenderId: 'AIDAIENQZJOLO23YVJ4VO',
          ApproximateFirstReceiveTimestamp: sentAt,
          ...record.attributes,
        },
        messageAttributes,
        md5OfBody: md5Hex(Buffer.from(body, 'utf8')),
        eventSource: record.eventSource ?? 'aws:sqs',
        eventSourceARN: record.eventSourceARN ?? queueArn,
        awsRegion: record.awsRegion ?? queueArn.split(':')[3]!,
      }
      if (Object.keys(messageAttributes).length > 0) {
        built.md5OfMessageAttributes = md5OfMessageAttributes(messageAttributes)
      }
      return built
    }),
  }
}

/**
 * The SQS message-attribute digest: attributes sorted by name, each encoded as length-prefixed name,
 * length-prefixed data type, a transport byte (1 string, 2 binary) and the length-prefixed value.
 *
 * @example
 * ```ts
 * import { md5OfMessageAttributes } from '@lift/testing'
 *
 * const digest = md5OfMessageAttributes({
 *   tenant: { dataType: 'String', stringValue: 'acme', stringListValues: [], binaryListValues: [] },
 * })
 * // the 32 hex digits SQS puts into record.md5OfMessageAttributes
 * ```
 */
export function md5OfMessageAttributes(attributes: SQSMessageAttributes): string {
  const parts: Buffer[] = []
  for (const name of Object.keys(attributes).sort()) {
    const attribute = attributes[name]!
    parts.push(
      lengthPrefixed(Buffer.from(name, 'utf8')),
      lengthPrefixed(Buffer.from(attribute.dataType, 'utf8')),
    )
    if (attribute.binaryValue !== undefined) {
      parts.push(Buffer.from([2]), lengthPrefixed(Buffer.from(attribute.binaryValue, 'base64')))
    } else {
      parts.push(Buffer.from([1]), lengthPrefixed(Buffer.from(attribute.stringValue ?? '', 'utf8')))
    }
  }
  return md5Hex(Buffer.concat(parts))
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(bytes.length)
  return Buffer.concat([length, bytes])
}

function md5Hex(bytes: Buffer): string {
  return createHash('md5').update(bytes).digest('hex')
}
