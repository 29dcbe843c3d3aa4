import { LiftHttpError } from '@lift/security-core'

/**
 * RFC 6750 responses. The body is the same whatever went wrong: the reason is published as a security
 * event, never sent to the caller.
 */
export function missingTokenError(realm: string | undefined): LiftHttpError {
  return new LiftHttpError(401, {
    code: 'unauthenticated',
    detail: 'This resource requires a bearer token.',
    headers: { 'WWW-Authenticate': challenge(realm) },
  })
}

export function invalidTokenError(realm: string | undefined): LiftHttpError {
  return new LiftHttpError(401, {
    code: 'invalid-token',
    detail: 'The bearer token is not valid for this API.',
    headers: { 'WWW-Authenticate': challenge(realm, 'invalid_token') },
  })
}

export function insufficientScopeError(realm: string | undefined): LiftHttpError {
  return new LiftHttpError(403, {
    code: 'insufficient-scope',
    detail: 'The bearer token does not grant access to this resource.',
    headers: { 'WWW-Authenticate': challenge(realm, 'insufficient_scope') },
  })
}

export function authenticationUnavailableError(cause: unknown): LiftHttpError {
  return new LiftHttpError(503, {
    code: 'authentication-unavailable',
    detail: 'The bearer token could not be verified right now.',
    cause,
  })
}

function challenge(realm: string | undefined, error?: string): string {
  const params = [
    ...(realm === undefined ? [] : [`realm="${realm}"`]),
    ...(error === undefined ? [] : [`error="${error}"`]),
  ]
  return params.length === 0 ? 'Bearer' : `Bearer ${params.join(', ')}`
}
