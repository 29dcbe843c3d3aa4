import { type IssuerOptions, type JwtAuthorizerHandler, jwtAuthorizer } from '@lift/auth-jwt'
import { issuerFromEnv, ROLES_CLAIM } from './config'

/**
 * The Lambda authorizer of both APIs in template.yaml: a REST API TOKEN authorizer and an HTTP API
 * (payload 2.0, simple responses) authorizer. jwtAuthorizer() tells the two apart by their events.
 */
export function createAuthorizer(issuer: IssuerOptions): JwtAuthorizerHandler {
  return jwtAuthorizer({ issuers: [issuer], roles: { claim: ROLES_CLAIM } })
}

let deployed: JwtAuthorizerHandler | undefined

/** The Lambda entry point, built from the environment on the first call. */
export const handler: JwtAuthorizerHandler = async (event) => {
  deployed ??= createAuthorizer(issuerFromEnv(process.env))
  return deployed(event)
}
