import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { type SecretsManagerServer, startSecretsManagerServer } from '../src/index'

// The requests the AWS SDK v3 sends for GetSecretValue (JSON 1.1 protocol), sent here with fetch.
const JSON_11 = 'application/x-amz-json-1.1'

let server: SecretsManagerServer
beforeAll(async () => {
  server = await startSecretsManagerServer()
})
afterAll(() => server.close())
beforeEach(() => server.reset())

async function getSecretValue(
  input: unknown,
  init: { method?: string; path?: string; target?: string; contentType?: string; raw?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.endpoint}${init.path ?? '/'}`, {
    method: init.method ?? 'POST',
    headers: {
      'content-type': init.contentType ?? `${JSON_11}; charset=utf-8`,
      'x-amz-target': init.target ?? 'secretsmanager.GetSecretValue',
    },
    body: init.raw ?? JSON.stringify(input),
  })
  expect(response.headers.get('content-type')).toBe(JSON_11)
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('startSecretsManagerServer', () => {
  it('listens on 127.0.0.1 and answers GetSecretValue with the AWSCURRENT value, recording the request', async () => {
    expect(server.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    server.putSecret('app/key', 's3cret')
    const { status, body } = await getSecretValue({ SecretId: 'app/key' })
    expect(status).toBe(200)
    expect(body).toMatchObject({
      ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app/key-AbCdEf',
      Name: 'app/key',
      SecretString: 's3cret',
      VersionStages: ['AWSCURRENT'],
    })
    expect(body.SecretBinary).toBeUndefined()
    expect(server.requests).toEqual([
      { target: 'secretsmanager.GetSecretValue', secretId: 'app/key', versionStage: undefined },
    ])
    expect(server.requestCount).toBe(1)
  })

  it('sends binary values base64 as SecretBinary', async () => {
    server.putSecret('bin', new Uint8Array([0, 1, 255]))
    const { body } = await getSecretValue({ SecretId: 'bin' })
    expect(body.SecretBinary).toBe(Buffer.from([0, 1, 255]).toString('base64'))
    expect(body.SecretString).toBeUndefined()
  })

  it('keeps the previous value under AWSPREVIOUS on rotation, and answers by VersionStage', async () => {
    server.putSecret('rotating', 'one')
    server.rotateSecret('rotating', 'two')
    expect((await getSecretValue({ SecretId: 'rotating' })).body.SecretString).toBe('two')
    const previous = await getSecretValue({ SecretId: 'rotating', VersionStage: 'AWSPREVIOUS' })
    expect(previous.body).toMatchObject({ SecretString: 'one', VersionStages: ['AWSPREVIOUS'] })
    expect(server.requests[1]?.versionStage).toBe('AWSPREVIOUS')
    expect(() => server.rotateSecret('unknown', 'x')).toThrow('No AWSCURRENT for unknown')
  })

  it('answers ResourceNotFoundException for an unknown or deleted secret, or a missing stage', async () => {
    server.putSecret('gone', 'x')
    server.deleteSecret('gone')
    expect(await getSecretValue({ SecretId: 'gone' })).toEqual({
      status: 400,
      body: {
        __type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      },
    })
    server.putSecret('staged', 'x')
    const missingStage = await getSecretValue({ SecretId: 'staged', VersionStage: 'AWSPENDING' })
    expect(missingStage.status).toBe(400)
    expect(missingStage.body.message).toContain('staging label: AWSPENDING')
  })

  it('answers the next requests with scripted failures and responses, then with the stored secrets', async () => {
    server.putSecret('k', 'v')
    server.failNext('throttling', 2)
    server.failNext('internal-error')
    server.failNext('not-found')
    server.failNext({ status: 403, type: 'AccessDeniedException', message: 'no' })
    server.respondNext({ status: 200, body: { Name: 'k' } })
    const answers = []
    for (let i = 0; i < 7; i += 1) answers.push(await getSecretValue({ SecretId: 'k' }))
    expect(
      answers.map(({ status, body }) => [status, body.__type ?? body.SecretString ?? body.Name]),
    ).toEqual([
      [400, 'ThrottlingException'],
      [400, 'ThrottlingException'],
      [500, 'InternalServiceError'],
      [400, 'ResourceNotFoundException'],
      [403, 'AccessDeniedException'],
      [200, 'k'],
      [200, 'v'],
    ])
  })

  it('refuses what the SDK never sends: another path, method, content type or operation, malformed JSON', async () => {
    const serialization = { status: 400, type: 'SerializationException' }
    const refused = async (init: Parameters<typeof getSecretValue>[1]) => {
      const { status, body } = await getSecretValue({ SecretId: 'k' }, init)
      return { status, type: body.__type }
    }
    expect(await refused({ path: '/other' })).toEqual(serialization)
    expect(await refused({ method: 'PUT' })).toEqual(serialization)
    expect(await refused({ contentType: 'application/json' })).toEqual(serialization)
    expect(await refused({ raw: '{not json' })).toEqual(serialization)
    expect(await refused({ target: 'secretsmanager.ListSecrets' })).toEqual({
      status: 400,
      type: 'UnknownOperationException',
    })
    expect(server.requestCount).toBe(0)
  })
})
