// A secret id that is not set (an unset environment variable reads as undefined) is a construction error of
// the check that names the factory and the option.
import { describe, expect, it } from '@jest/globals'
import { secretsManagerCheck } from '../src/index'

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
