// A tenant on Amazon Cognito, configured the way the deployed function is (TENANT_ISSUERS through
// configFromEnv), with tokens shaped exactly like Cognito's: an access token has no `aud`, names the app
// client in `client_id`, says `token_use: "access"` and lists groups in `cognito:groups`. The keys come from
// a real JWKS server on 127.0.0.1; the data from dynalite.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createSecretsProvider } from '@lift/security-core'
import {
  type AsymmetricTestIssuer,
  apiGatewayV2Event,
  createTestIssuer,
  type LocalDynamoDb,
  lambdaContext,
  startDynamoDb,
} from '@lift/testing'
import { configFromEnv } from '../src/config'
import { type ApiHandler, createApi } from '../src/stack'

const POOL = 'eu-west-1_AbCdEf123'
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`
const CLIENT = '1example23456789abcdefghij'

let db: LocalDynamoDb
let cognito: AsymmetricTestIssuer
let api: ApiHandler

beforeAll(async () => {
  db = await startDynamoDb()
  await db.createTable({ tableName: 'projects', sortKey: 'sk', ttlAttribute: 'expiresAt' })
  await db.createTable({ tableName: 'guard', ttlAttribute: 'expiresAt' })
  cognito = await createTestIssuer({ alg: 'RS256', issuer: ISSUER })
  const config = configFromEnv({
    DATA_TABLE_NAME: 'projects',
    GUARD_TABLE_NAME: 'guard',
    TENANT_ISSUERS: JSON.stringify([
      {
        tenantId: 'acme',
        issuer: ISSUER,
        clientId: CLIENT,
        tokenUse: 'access',
        rolesClaim: 'cognito:groups',
        jwksUri: cognito.jwksUri,
      },
    ]),
    RATE_LIMIT_STORE_TIMEOUT_MS: '10000',
  })
  api = createApi(config, { dynamoDb: db.client, secrets: createSecretsProvider() })
})

afterAll(async () => {
  await cognito?.close()
  await db?.stop()
})

/** A Cognito user access token (claims as Cognito documents them; times filled in by the issuer). */
const accessToken = (extra: Record<string, unknown> = {}) =>
  cognito.sign({
    sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    'cognito:groups': ['admin'],
    iss: ISSUER,
    version: 2,
    client_id: CLIENT,
    origin_jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    event_id: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    token_use: 'access',
    scope: 'aws.cognito.signin.user.admin',
    auth_time: Math.floor(Date.now() / 1000),
    jti: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
    username: 'janedoe',
    ...extra,
  })

async function send(token: string, method: 'GET' | 'POST', tenantId = 'acme') {
  const event = apiGatewayV2Event({
    method,
    path: `/tenants/${tenantId}/projects`,
    routeKey: `${method} /tenants/{tenantId}/projects`,
    pathParameters: { tenantId },
    headers: {
      authorization: `Bearer ${token}`,
      ...(method === 'POST' ? { 'idempotency-key': crypto.randomUUID() } : {}),
    },
    ...(method === 'POST' ? { body: { name: 'Apollo' } } : {}),
  })
  return (await api(event as never, lambdaContext() as never)) as { statusCode: number; body: string }
}

describe('a Cognito user pool as a tenant’s identity provider', () => {
  it('accepts its access tokens (no aud): roles from cognito:groups', async () => {
    const token = await accessToken()
    expect((await send(token, 'POST')).statusCode).toBe(201)
    const listed = await send(token, 'GET')
    expect(listed.statusCode).toBe(200)
    expect(listed.body).toContain('Apollo')
  })

  it('refuses another app client’s access token, an ID token and a token without the group', async () => {
    expect((await send(await accessToken({ client_id: 'another-app-client' }), 'GET')).statusCode).toBe(401)
    const idToken = await accessToken({ token_use: 'id', aud: CLIENT, client_id: undefined })
    expect((await send(idToken, 'GET')).statusCode).toBe(401)
    expect((await send(await accessToken({ 'cognito:groups': ['viewer'] }), 'POST')).statusCode).toBe(403)
  })

  it('keeps the tenant pinned: a valid access token cannot act on another tenant', async () => {
    expect((await send(await accessToken(), 'GET', 'globex')).statusCode).toBe(403)
  })
})
