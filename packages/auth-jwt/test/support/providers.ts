// Token layouts of the real identity providers, copied from their documentation (values made up, claim
// names, types and shapes as the providers send them). Times are filled in by the test issuer.
export const COGNITO_POOL = 'eu-west-1_AbCdEf123'
export const COGNITO_ISS = `https://cognito-idp.eu-west-1.amazonaws.com/${COGNITO_POOL}`
export const COGNITO_CLIENT = '1example23456789abcdefghij'

/** A Cognito user access token: no `aud`, the app client in `client_id`, `token_use: "access"`. */
export const cognitoAccessToken = (extra: Record<string, unknown> = {}) => ({
  sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  'cognito:groups': ['admin', 'editors'],
  iss: COGNITO_ISS,
  version: 2,
  client_id: COGNITO_CLIENT,
  origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  event_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  token_use: 'access',
  scope: 'openid email orders/read',
  auth_time: 1_700_000_000,
  jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  username: 'janedoe',
  ...extra,
})

/** A Cognito machine-to-machine (client credentials) access token: `sub` is the app client id. */
export const cognitoM2mToken = (extra: Record<string, unknown> = {}) => ({
  sub: COGNITO_CLIENT,
  token_use: 'access',
  scope: 'orders/read orders/write',
  auth_time: 1_700_000_000,
  iss: COGNITO_ISS,
  version: 2,
  jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  client_id: COGNITO_CLIENT,
  ...extra,
})

/** A Cognito ID token: the app client in `aud`, `token_use: "id"`, no `client_id`, no `scope`. */
export const cognitoIdToken = (extra: Record<string, unknown> = {}) => ({
  sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  'cognito:groups': ['admin'],
  email_verified: true,
  iss: COGNITO_ISS,
  'cognito:username': 'janedoe',
  origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  aud: COGNITO_CLIENT,
  event_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  token_use: 'id',
  auth_time: 1_700_000_000,
  jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  email: 'janedoe@example.com',
  ...extra,
})

export const ENTRA_TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47'
export const ENTRA_OTHER_TENANT = '9188040d-6c67-4c5b-b112-36a304b66dad'
export const ENTRA_API = '6e74172b-be56-4843-9ff4-e66a39bb12e3'
export const ENTRA_CLIENT = 'f0b3c6a2-1c0d-4d7e-8b1e-3c5a8f9e2d10'
export const entraIss = (tid: string) => `https://login.microsoftonline.com/${tid}/v2.0`

/** An Entra ID v2.0 delegated access token: `aud` the API's app id, `scp` space separated, `tid`, `ver`. */
export const entraV2Token = (extra: Record<string, unknown> = {}) => ({
  aud: ENTRA_API,
  iss: entraIss(ENTRA_TENANT),
  aio: 'AXQAi/8UAAAAx...',
  azp: ENTRA_CLIENT,
  azpacr: '0',
  name: 'Abe Lincoln',
  oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
  preferred_username: 'abeli@microsoft.com',
  rh: 'I',
  scp: 'access_as_user Orders.Read',
  sub: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
  tid: ENTRA_TENANT,
  uti: 'fqiBqXLPj0eQa82S-IYFAA',
  ver: '2.0',
  ...extra,
})

/** An Entra ID v2.0 app-only (client credentials) token: app roles in `roles`, no `scp`. */
export const entraAppToken = (extra: Record<string, unknown> = {}) => ({
  aud: ENTRA_API,
  iss: entraIss(ENTRA_TENANT),
  azp: ENTRA_CLIENT,
  azpacr: '1',
  idtyp: 'app',
  oid: '4f9e7a1c-0a1b-4c2d-9e8f-1a2b3c4d5e6f',
  roles: ['Orders.ReadWrite.All'],
  sub: '4f9e7a1c-0a1b-4c2d-9e8f-1a2b3c4d5e6f',
  tid: ENTRA_TENANT,
  uti: 'aBcDeFgHiJkLmNoPqRsTuV',
  ver: '2.0',
  ...extra,
})

/** An Entra ID v1.0 access token: `iss` on sts.windows.net, `appid` instead of `azp`, `ver: "1.0"`. */
export const entraV1Token = (extra: Record<string, unknown> = {}) => ({
  aud: `api://${ENTRA_API}`,
  iss: `https://sts.windows.net/${ENTRA_TENANT}/`,
  appid: ENTRA_CLIENT,
  appidacr: '0',
  name: 'Abe Lincoln',
  oid: '690222be-ff1a-4d56-abd1-7e4f7d38e474',
  scp: 'access_as_user',
  sub: 'HKZpfaHyWadeOouYlitjrI-KffTm222X5rrV3xDqfKQ',
  tid: ENTRA_TENANT,
  unique_name: 'abeli@microsoft.com',
  ver: '1.0',
  ...extra,
})

export const AUTH0_DOMAIN = 'example.eu.auth0.com'
export const AUTH0_ISS = `https://${AUTH0_DOMAIN}/`
export const AUTH0_API = 'https://api.example.com'
export const AUTH0_CLIENT = 'tKx1MM0eNFqDaMyC4lw5bo6IV3SDpgzK'

/** An Auth0 access token: `aud` an array (API + userinfo), `azp` the application, RBAC `permissions`. */
export const auth0AccessToken = (extra: Record<string, unknown> = {}) => ({
  iss: AUTH0_ISS,
  sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
  aud: [AUTH0_API, `${AUTH0_ISS}userinfo`],
  azp: AUTH0_CLIENT,
  scope: 'openid profile email read:orders',
  permissions: ['read:orders', 'write:orders'],
  ...extra,
})

/** An Auth0 ID token: `aud` is the application's client id. */
export const auth0IdToken = (extra: Record<string, unknown> = {}) => ({
  nickname: 'jane',
  name: 'jane@example.com',
  updated_at: '2026-11-30T10:00:00.000Z',
  email: 'jane@example.com',
  email_verified: true,
  iss: AUTH0_ISS,
  aud: AUTH0_CLIENT,
  sub: 'auth0|5f7c8ec7c33c6c004bbafe82',
  sid: 'Zs8Vd4c3w6d1Y3GZ3bWxLhJxOQx8e7yq',
  nonce: 'bXlub25jZQ',
  ...extra,
})

export const OKTA_DOMAIN = 'example.okta.com'
export const OKTA_ISS = `https://${OKTA_DOMAIN}/oauth2/default`
export const OKTA_CLIENT = '0oaoesxtxmPf08QHk0h7'

/** An Okta access token of the default custom authorization server: `scp` an array, `cid`, `uid`. */
export const oktaAccessToken = (extra: Record<string, unknown> = {}) => ({
  ver: 1,
  jti: 'AT.0mP4JKAZX1iACIT4vbEDF7LpvDVjxypPMf0D7uX39RE',
  iss: OKTA_ISS,
  aud: 'api://default',
  cid: OKTA_CLIENT,
  uid: '00uoeu5lhCOeHf8Ey0h7',
  scp: ['openid', 'email', 'orders:read'],
  auth_time: 1_700_000_000,
  sub: 'john.doe@example.com',
  groups: ['Everyone', 'Admins'],
  ...extra,
})

/** An Okta ID token: `aud` is the client id. */
export const oktaIdToken = (extra: Record<string, unknown> = {}) => ({
  sub: '00uoeu5lhCOeHf8Ey0h7',
  ver: 1,
  iss: OKTA_ISS,
  aud: OKTA_CLIENT,
  jti: 'ID.4eAWJOCMB3SX8XewDfVR1NKnC5d_NMg1Xeoae3kZsOc',
  amr: ['pwd'],
  idp: '00ok1u7AsAkrwdZL3z0g3',
  nonce: 'n-0S6_WzA2Mj',
  auth_time: 1_700_000_000,
  ...extra,
})

export const GOOGLE_CLIENT = '1234987819200-abcdefghijkl.apps.googleusercontent.com'

/** A Google ID token ("Sign in with Google"). */
export const googleIdToken = (extra: Record<string, unknown> = {}) => ({
  iss: 'https://accounts.google.com',
  azp: GOOGLE_CLIENT,
  aud: GOOGLE_CLIENT,
  sub: '110169484474386276334',
  at_hash: 'HK6E_P6Dh8Y93mRNtsDB1Q',
  hd: 'example.com',
  email: 'jsmith@example.com',
  email_verified: true,
  nonce: '0394852-3190485-2490358',
  name: 'J Smith',
  ...extra,
})
