import type { Principal } from '@lift/security-core'

/**
 * Why a token (or a request) was refused. The reason goes to the `lift:security` event only, never to the
 * response body. `status` picks the response: 401 invalid token, 403 valid token without access,
 * 503 the key source could not be reached or used.
 */
export class TokenRejection {
  constructor(
    readonly reason: string,
    readonly status: 401 | 403 | 503 = 401,
    readonly cause?: unknown,
    /** Set when the token itself was valid (403): the event names who was refused. */
    readonly principal?: Principal,
    /** What the operator needs to fix (e.g. a resolved issuer's validation error), for the event only. */
    readonly detail?: Readonly<Record<string, unknown>>,
  ) {}
}

export function reject(reason: string, status: 401 | 403 | 503 = 401, cause?: unknown): never {
  throw new TokenRejection(reason, status, cause)
}
