// Identifiers and timestamps in the formats AWS puts into events. Random where AWS is random, so two
// events never share an id, and fixed in shape so tests can match them with a pattern.
import { randomBytes, randomUUID } from 'node:crypto'

/** Account id used in every ARN and requestContext.accountId the builders produce. */
export const TEST_ACCOUNT_ID = '123456789012'
/** Region used in every ARN, domain name and awsRegion the builders produce. */
export const TEST_REGION = 'us-east-1'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** A request id as API Gateway REST APIs and Lambda use it: a v4 UUID. */
export function uuid(): string {
  return randomUUID()
}

/** A request id as API Gateway HTTP APIs use it: 15 base64 characters and '=' (e.g. `JKJaXmPLvHcESHA=`). */
export function httpApiRequestId(): string {
  return `${randomBytes(12).toString('base64').slice(0, 15)}=`
}

/** An X-Ray trace header as the AWS front doors add it: `Root=1-<epoch seconds hex>-<24 hex>`. */
export function traceId(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, '0')
  return `Root=1-${seconds}-${randomBytes(12).toString('hex')}`
}

/** `count` random characters from [a-z0-9], the alphabet of API ids and Function URL ids. */
export function randomLowerAlnum(count: number): string {
  const bytes = randomBytes(count)
  let out = ''
  for (const byte of bytes) out += LOWER_ALNUM[byte % LOWER_ALNUM.length]
  return out
}

/** Common Log Format time as in requestContext.requestTime / time: `12/Mar/2020:19:03:58 +0000`. */
export function clfTime(epochMs: number): string {
  const date = new Date(epochMs)
  const pad = (value: number) => String(value).padStart(2, '0')
  const day = pad(date.getUTCDate())
  const month = MONTHS[date.getUTCMonth()]
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`
  return `${day}/${month}/${date.getUTCFullYear()}:${time} +0000`
}

/** ISO 8601 without milliseconds, as EventBridge writes `time`: `2019-03-01T12:00:00Z`. */
export function isoSeconds(epochMs: number): string {
  return `${new Date(epochMs).toISOString().slice(0, 19)}Z`
}
