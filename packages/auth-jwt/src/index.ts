import { jwtAuth } from './jwt-auth'

export { JWT_ALGORITHMS, type JwtAlgorithm } from './algorithms'
export { type AuthorizeOptions, authorize, type Requirement, requestTenantId } from './authorize'
export { jwtAuth, jwtAuthDefaults } from './jwt-auth'
export type {
  Claims,
  IssuerOptions,
  JwksOptions,
  JwtAuthOptions,
  PublicKeyInput,
  RolesOptions,
  ScopesOptions,
  SecretRef,
  TenantOptions,
  TokenCacheOptions,
  TokenSource,
} from './options'

export default jwtAuth
