import type { IssuerOptions } from '@lift/auth-jwt'

/**
 * The token issuer, from the environment template.yaml sets: JWT_ISSUER (its exact `iss`; its keys are
 * found by OIDC discovery) and JWT_AUDIENCE.
 */
export function issuerFromEnv(env: Readonly<Record<string, string | undefined>>): IssuerOptions {
  const issuer = env.JWT_ISSUER
  const audience = env.JWT_AUDIENCE
  if (!issuer || !audience) throw new Error('JWT_ISSUER and JWT_AUDIENCE must be set')
  return { issuer, audience, algorithms: ['RS256'], discovery: true }
}

/** The claim holding the user's groups (Cognito's layout; a pre-token hook can put any groups there). */
export const ROLES_CLAIM = 'cognito:groups'
