import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
import { ScanCommand } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { memoryNonceStore, signRequest } from '@lift/request-signing'
import { createSecretsProvider } from '@lift/security-core'
import {
  type LocalDynamoDb,
  type LocalServer,
  type SecretsManagerServer,
  serveLocal,
  startDynamoDb,
  startSecretsManagerServer,
} from '@lift/testing'
import { CALLEE_ROUTE, calleeFromEnv, handler as calleeHandler, createCallee } from '../src/callee'
import { callerFromEnv, handler as callerHandler, createCaller } from '../src/caller'
import { sharedSecretKeys, sharedSecretSigningKey } from '../src/keys'

const SECRET_ID = 'signed-requests/shared-key'
const KEY_ID = 'orders-caller'
const TABLE = 'signed-requests-nonces'
const FIRST_SECRET = 'first-shared-secret-0123456789abcdefghij'
const SECOND_SECRET = 'second-shared-secret-0123456789abcdefghi'

let secretsManager: SecretsManagerServer
let db: LocalDynamoDb
let callee: LocalServer
let calleeUrl: string
let client: SecretsManagerClient
const savedEnv = { ...process.env }

// The deployed entry points run unchanged: the AWS SDK reads its endpoints, region and credentials from the
// environment, so both clients talk to the servers on 127.0.0.1.
beforeAll(async () => {
  secretsManager = await startSecretsManagerServer()
  secretsManager.putSecret(SECRET_ID, FIRST_SECRET)
  db = await startDynamoDb()
  await db.createTable({ tableName: TABLE, ttlAttribute: 'expiresAt' })
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secretsManager.endpoint,
    AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
    AWS_MAX_ATTEMPTS: '1',
    SIGNING_SECRET_ID: SECRET_ID,
    SIGNING_KEY_ID: KEY_ID,
    NONCE_TABLE_NAME: TABLE,
  })
  callee = await serveLocal(calleeHandler, { port: 0, routes: [CALLEE_ROUTE] })
  calleeUrl = `${callee.url}/orders`
  process.env.CALLEE_URL = calleeUrl
  client = new SecretsManagerClient({
    endpoint: secretsManager.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
})

afterAll(async () => {
  process.env = savedEnv
  client?.destroy()
  await callee?.close()
  await db?.stop()
  await secretsManager?.close()
})

/** A caller that records what it sent (so a test can replay it) or changes it in flight. */
function recordingCaller(change: (body: string) => string = (body) => body) {
  const sent: { url: string; init: RequestInit }[] = []
  const caller = createCaller({
    calleeUrl,
    keyId: KEY_ID,
    signingKey: sharedSecretSigningKey(createSecretsProvider({ client }), SECRET_ID),
    fetch: (url, init = {}) => {
      const changed = { ...init, body: change(String(init.body)) }
      sent.push({ url: String(url), init: changed })
      return fetch(url, changed)
    },
  })
  return { caller, sent }
}

describe('caller → callee over HTTP, key in Secrets Manager, nonces in DynamoDB', () => {
  it('a signed call from the deployed caller is accepted by the deployed callee, and its nonce is stored', async () => {
    const result = await callerHandler({ orderId: 'o-1', amount: 10 })
    expect(result).toEqual({
      status: 201,
      body: { accepted: { orderId: 'o-1', amount: 10 }, caller: KEY_ID },
    })
    const { Items } = await db.documentClient.send(new ScanCommand({ TableName: TABLE }))
    expect(Items).toHaveLength(1)
    expect(Items?.[0]?.pk).toMatch(/^nonce#/)
    expect(typeof Items?.[0]?.expiresAt).toBe('number')
    const requests = secretsManager.requests.map((r) => `${r.secretId} ${r.versionStage ?? 'AWSCURRENT'}`)
    expect(new Set(requests)).toEqual(new Set([`${SECRET_ID} AWSCURRENT`, `${SECRET_ID} AWSPREVIOUS`]))
  })

  it('replay attack: the same signed request sent again is refused with 401', async () => {
    const { caller, sent } = recordingCaller()
    expect((await caller({ orderId: 'o-2', amount: 5 })).status).toBe(201)
    const replay = await fetch(sent[0]!.url, sent[0]!.init)
    expect(replay.status).toBe(401)
    expect(replay.headers.get('content-type')).toBe('application/problem+json')
    expect(await replay.text()).not.toMatch(/nonce|replay/i)
  })

  it('tampering attack: a body changed after signing is refused with 401', async () => {
    const { caller } = recordingCaller((body) => body.replace('"amount":10', '"amount":10000'))
    const result = await caller({ orderId: 'o-3', amount: 10 })
    expect(result.status).toBe(401)
    expect(JSON.stringify(result.body)).not.toMatch(/digest|body/i)
  })

  it('rotation: a caller still signing with the AWSPREVIOUS value verifies, so does one with AWSCURRENT', async () => {
    let clock = Date.now()
    const calleeSecrets = createSecretsProvider({ client, ttlMs: 60_000, now: () => clock })
    const rotatingCallee = await serveLocal(
      createCallee({
        keys: sharedSecretKeys(calleeSecrets, SECRET_ID, KEY_ID),
        nonceStore: memoryNonceStore(),
      }),
      { port: 0 },
    )
    const url = `${rotatingCallee.url}/orders`
    const withKey = (key: string) =>
      createCaller({ calleeUrl: url, keyId: KEY_ID, signingKey: async () => key })
    try {
      expect((await withKey(FIRST_SECRET)({ n: 1 })).status).toBe(201)
      secretsManager.rotateSecret(SECRET_ID, SECOND_SECRET)
      clock += 120_000 // the callee's cached secret expires: it now reads AWSCURRENT and AWSPREVIOUS anew
      expect((await withKey(FIRST_SECRET)({ n: 2 })).status).toBe(201)
      expect((await withKey(SECOND_SECRET)({ n: 3 })).status).toBe(201)
      expect((await withKey('a-secret-that-was-never-stored-0123456789')({ n: 4 })).status).toBe(401)
    } finally {
      secretsManager.putSecret(SECRET_ID, FIRST_SECRET)
      await rotatingCallee.close()
    }
  })

  it('refuses an unsigned request, an unknown key id and a request without a nonce with 401', async () => {
    const body = JSON.stringify({ orderId: 'o-4' })
    const unsigned = await fetch(calleeUrl, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    })
    expect(unsigned.status).toBe(401)
    const headers = { 'content-type': 'application/json' }
    const send = (options: { keyId: string; nonce?: true }) =>
      fetch(calleeUrl, {
        method: 'POST',
        body,
        headers: {
          ...headers,
          ...signRequest(
            { method: 'POST', url: calleeUrl, headers, body },
            { ...options, key: FIRST_SECRET, alg: 'hmac-sha256' },
          ),
        },
      })
    expect((await send({ keyId: 'someone-else', nonce: true })).status).toBe(401)
    expect((await send({ keyId: KEY_ID })).status).toBe(401)
    expect((await send({ keyId: KEY_ID, nonce: true })).status).toBe(201)
  })

  it('answers 400 invalid-order to a correctly signed body that is not a JSON object', async () => {
    const headers = { 'content-type': 'application/json' }
    for (const body of ['[1,2]', 'not json']) {
      const signature = signRequest(
        { method: 'POST', url: calleeUrl, headers, body },
        { keyId: KEY_ID, key: FIRST_SECRET, alg: 'hmac-sha256', nonce: true },
      )
      const response = await fetch(calleeUrl, { method: 'POST', body, headers: { ...headers, ...signature } })
      expect(response.status).toBe(400)
      expect(((await response.json()) as { code: string }).code).toBe('invalid-order')
    }
  })
})

describe('configuration', () => {
  it('names every missing environment variable at cold start', () => {
    expect(() => callerFromEnv({})).toThrow(
      'Missing environment variables: SIGNING_SECRET_ID, SIGNING_KEY_ID, CALLEE_URL',
    )
    expect(() => calleeFromEnv({ SIGNING_SECRET_ID: 's', SIGNING_KEY_ID: '' })).toThrow(
      'Missing environment variables: SIGNING_KEY_ID, NONCE_TABLE_NAME',
    )
  })

  it('the caller refuses a payload that is not a JSON object, and a secret without a string value', async () => {
    const caller = createCaller({ calleeUrl, keyId: KEY_ID, signingKey: async () => FIRST_SECRET })
    await expect(caller([1])).rejects.toThrow('expects a JSON object')
    await expect(caller(null)).rejects.toThrow('expects a JSON object')
    const empty = sharedSecretSigningKey({ get: async () => '' } as never, 'empty')
    await expect(empty()).rejects.toThrow('Secret empty holds no string value')
  })

  it('the caller returns a non-JSON answer as text', async () => {
    const caller = createCaller({
      calleeUrl,
      keyId: KEY_ID,
      signingKey: async () => FIRST_SECRET,
      fetch: async () => new Response('upstream down', { status: 502 }),
    })
    expect(await caller({ a: 1 })).toEqual({ status: 502, body: 'upstream down' })
  })
})
