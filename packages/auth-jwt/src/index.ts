import { jwtAuth } from './jwt-auth'

export { JWT_ALGORITHMS, type JwtAlgorithm } from './algorithms'
export { type AuthorizeOptions, authorize, type Requirement, requestTenantId } from './authorize'
export {
  type AuthorizerContextValue,
  type HttpApiSimpleAuthorizerResult,
  type JwtAuthorizerContext,
  type JwtAuthorizerHandler,
  type JwtAuthorizerOptions,
  jwtAuthorizer,
  type RestAuthorizerResult,
} from './authorizer'
export { jwtAuth, jwtAuthDefaults } from './jwt-auth'
export type {
  ClaimRule,
  Claims,
  IssuerCacheOptions,
  IssuerOptions,
  IssuerResolver,
  JwksOptions,
  JwtAuthOptions,
  PublicKeyInput,
  RolesOptions,
  ScopesOptions,
  SecretRef,
  TenantOptions,
  TokenCacheOptions,
  TokenSource,
  TokenUse,
} from './options'
export {
  type Auth0Options,
  auth0,
  type CognitoOptions,
  cognito,
  type EntraOptions,
  entra,
  type GoogleOptions,
  google,
  type OktaOptions,
  okta,
  type PresetOverrides,
} from './presets/index'

export default jwtAuth
