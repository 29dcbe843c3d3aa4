// A secret id that is not set (an unset environment variable reads as undefined) is a construction error of
// the check that names the factory and the option.
import { describe, expect, it } from '@jest/globals'
import { detailsWhenHeader, secretsManagerCheck } from '../src/index'

const UNSET = 'LIFT_TEST_UNSET_HEALTH_SECRET_ID'
delete process.env[UNSET]

describe('secretsManagerCheck: an unset secretId is a construction error', () => {
  it.each([
    ['an unset env var', process.env[UNSET]],
    ['null', null],
    ['an empty string', ''],
    ['a number', 42],
  ])('secretsManagerCheck with %s for secretId throws a TypeError naming secretId', (_name, secretId) => {
    expect(() => secretsManagerCheck({ secretId: secretId as never })).toThrow(
      new TypeError('secretsManagerCheck: secretId must be a non-empty string (a name or ARN)'),
    )
  })
})

describe('detailsWhenHeader: an unset secret is a construction error', () => {
  it.each([
    ['an unset env var', process.env[UNSET], 'secret must be a string or a function returning one'],
    ['null', null, 'secret must be a string or a function returning one'],
    ['an empty string', '', 'secret must be at least 16 characters'],
  ])('detailsWhenHeader with %s for secret throws a TypeError naming secret', (_name, secret, message) => {
    expect(() => detailsWhenHeader({ header: 'x-health-secret', secret: secret as never })).toThrow(
      new TypeError(`detailsWhenHeader: ${message}`),
    )
  })
})
