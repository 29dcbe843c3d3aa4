import type { EventBridgeEvent } from 'aws-lambda'
import { isoSeconds, TEST_ACCOUNT_ID, TEST_REGION, uuid } from './aws-ids'

/** An EventBridge event; with no init it is the event a schedule rule sends. */
export interface EventBridgeEventInit<TDetailType extends string, TDetail> {
  /** Default `aws.events` (the scheduler's source). */
  source?: string
  /** Default `Scheduled Event`. */
  detailType?: TDetailType
  /** Default `{}`. */
  detail?: TDetail
  /** Default: the ARN of a test schedule rule. */
  resources?: readonly string[]
  id?: string
  /** Event time in epoch ms (default: now); written as ISO 8601 without milliseconds. */
  time?: number
  account?: string
  region?: string
}

/** The schedule rule in `resources` of an {@link eventBridgeEvent} built without `detailType` or `resources`. */
export const TEST_SCHEDULE_RULE_ARN = `arn:aws:events:${TEST_REGION}:${TEST_ACCOUNT_ID}:rule/lift-test-schedule`

/**
 * An EventBridge event (`version: '0'`, `detail-type`, ISO `time`); `eventBridgeEvent()` is a scheduled event.
 *
 * @example
 * ```ts
 * import { eventBridgeEvent } from '@lift/testing'
 *
 * const tick = eventBridgeEvent() // what a schedule rule sends: source 'aws.events', 'Scheduled Event'
 * const placed = eventBridgeEvent({
 *   source: 'shop.orders',
 *   detailType: 'OrderPlaced',
 *   detail: { orderId: '42', total: 19.9 },
 * })
 * // placed['detail-type'] → 'OrderPlaced'; placed.detail.orderId → '42'
 * ```
 */
export function eventBridgeEvent<TDetailType extends string = string, TDetail = Record<string, unknown>>(
  init: EventBridgeEventInit<TDetailType, TDetail> = {},
): EventBridgeEvent<TDetailType, TDetail> {
  return {
    version: '0',
    id: init.id ?? uuid(),
    'detail-type': init.detailType ?? ('Scheduled Event' as TDetailType),
    source: init.source ?? 'aws.events',
    account: init.account ?? TEST_ACCOUNT_ID,
    time: isoSeconds(init.time ?? Date.now()),
    region: init.region ?? TEST_REGION,
    resources: [...(init.resources ?? (init.detailType === undefined ? [TEST_SCHEDULE_RULE_ARN] : []))],
    detail: init.detail ?? ({} as TDetail),
  }
}
