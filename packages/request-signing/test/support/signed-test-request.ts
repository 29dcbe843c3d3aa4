import { type SignedTestEventInit, signedTestEvent } from '@lift/testing'
import { type SignRequestOptions, signRequest } from '../../src/index'

/** An API Gateway HTTP API (payload 2.0) event for a request signed with this package's signRequest. */
export function signedTestRequest(init: SignedTestEventInit, options: SignRequestOptions) {
  return signedTestEvent(init, { sign: signRequest, ...options })
}
