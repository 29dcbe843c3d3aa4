import type { IssuerOptions, TokenUse } from '../options'
import { type PresetOverrides, presetOptions, requireNames, withOverrides } from './preset'

/**
 * Options of cognito(): the provider settings, plus any PresetOverrides.
 *
 * @example
 * ```ts
 * import { type CognitoOptions, cognito } from '@lift/auth-jwt'
 *
 * const options: CognitoOptions = { userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' }
 * cognito(options)
 * ```
 */
export interface CognitoOptions extends PresetOverrides {
  /** The user pool id, `<region>_<id>` (e.g. `eu-west-1_AbCdEf123`); the region is read from it. */
  readonly userPoolId: string
  /**
   * The app client id(s) whose tokens are accepted: an access token's `client_id`, an ID token's `aud`.
   * `null` accepts every app client of the pool, and must be said explicitly.
   */
  readonly clientId: string | readonly string[] | null
  /** `'access'` for APIs (the usual choice), `'id'` to accept ID tokens. Required: there is no default. */
  readonly tokenUse: TokenUse
}

const NAMES = { userPoolId: true, clientId: true, tokenUse: true } as const
const USER_POOL_ID = /^([a-z]{2}(?:-[a-z]+)+-\d+)_[0-9A-Za-z]+$/

/**
 * An Amazon Cognito user pool as an issuer: `iss` `https://cognito-idp.<region>.amazonaws.com/<pool>`,
 * its JWKS, RS256, `tokenUse` checked against `token_use`, `clientId` against the access token's
 * `client_id` (Cognito access tokens carry no `aud`) or the ID token's `aud`; roles from
 * `cognito:groups`, scopes from `scope`.
 *
 * @example
 * ```ts
 * import { cognito, jwtAuth } from '@lift/auth-jwt'
 *
 * const auth = jwtAuth({
 *   issuers: [cognito({ userPoolId: 'eu-west-1_AbCdEf123', clientId: '1example23456789', tokenUse: 'access' })],
 * })
 * ```
 */
export function cognito(options: CognitoOptions): IssuerOptions {
  const { userPoolId, clientId, tokenUse } = presetOptions('cognito', options, NAMES)
  const region = typeof userPoolId === 'string' ? USER_POOL_ID.exec(userPoolId)?.[1] : undefined
  if (region === undefined) {
    throw new Error('cognito: `userPoolId` must be a user pool id such as eu-west-1_AbCdEf123')
  }
  if (tokenUse !== 'access' && tokenUse !== 'id') {
    throw new Error("cognito: `tokenUse` must be 'access' (for APIs) or 'id'")
  }
  if (clientId !== null) requireNames('cognito', 'clientId (or null for every app client)', clientId)
  const issuer = `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`
  return withOverrides(
    {
      issuer,
      algorithms: ['RS256'],
      jwksUri: `${issuer}/.well-known/jwks.json`,
      tokenUse,
      ...(clientId === null ? {} : { clientId }),
      roles: { claim: 'cognito:groups' },
      scopes: { claim: 'scope' },
    },
    options,
  )
}
