// Lift's table of error reason phrases must be node:http's, status for status (it replaces STATUS_CODES
// only so that importing Lift does not load node:http).
import { STATUS_CODES } from 'node:http'
import { describe, expect, it } from '@jest/globals'
import { errorStatusText } from '../src/status-text'

describe('errorStatusText', () => {
  it('spells every 4xx and 5xx status exactly as node:http STATUS_CODES does', () => {
    for (let status = 400; status <= 599; status++) {
      const expected = STATUS_CODES[status] ?? (status < 500 ? 'Client Error' : 'Server Error')
      expect([status, errorStatusText(status)]).toEqual([status, expected])
    }
  })
})
