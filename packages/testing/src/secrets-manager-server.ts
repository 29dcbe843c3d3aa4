import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/**
 * A Secrets Manager stand-in on 127.0.0.1 that speaks the JSON 1.1 protocol the real AWS SDK uses
 * (POST / with `X-Amz-Target: secretsmanager.GetSecretValue`). It holds secrets per version stage,
 * counts requests, and can be scripted to answer the next requests with errors. Self-contained: it
 * depends on nothing but node:http.
 */
export interface SecretsManagerServer {
  /** e.g. 'http://127.0.0.1:53124'; pass as the SDK client's `endpoint`. */
  readonly endpoint: string
  /** GetSecretValue requests received, in order. */
  readonly requests: readonly ReceivedSecretRequest[]
  readonly requestCount: number
  /** Stores a value under a stage (default AWSCURRENT); binary values are sent base64 as SecretBinary. */
  putSecret(secretId: string, value: string | Uint8Array, stage?: string): void
  /** Moves the AWSCURRENT value to AWSPREVIOUS and stores a new AWSCURRENT, as a rotation does. */
  rotateSecret(secretId: string, newValue: string): void
  deleteSecret(secretId: string): void
  /** Answers the next `times` requests with this error instead of the stored secrets. */
  failNext(failure: ScriptedFailure, times?: number): void
  /** Answers the next `times` requests with this raw JSON 1.1 response (for malformed answers). */
  respondNext(response: ScriptedResponse, times?: number): void
  /** Forgets secrets, scripted failures and recorded requests. */
  reset(): void
  close(): Promise<void>
}

/** One GetSecretValue request the stand-in received. */
export interface ReceivedSecretRequest {
  target: string
  secretId: string
  versionStage: string | undefined
}

/** An error to answer with: a named AWS error, or any status, `__type` and message. */
export type ScriptedFailure =
  | 'throttling'
  | 'internal-error'
  | 'not-found'
  | { status: number; type: string; message: string }

/** A raw JSON 1.1 answer (status and body as sent). */
export interface ScriptedResponse {
  status: number
  body: unknown
}

interface StoredVersion {
  versionId: string
  value: string | Uint8Array
  createdDate: number
}

const TARGET = 'secretsmanager.GetSecretValue'
const JSON_11 = 'application/x-amz-json-1.1'

/**
 * Starts the Secrets Manager stand-in on an ephemeral port of 127.0.0.1. Point a `SecretsManagerClient` at
 * its `endpoint` (with any credentials), and `close()` it after the tests.
 *
 * @example
 * ```ts
 * import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager'
 * import { startSecretsManagerServer } from '@lift/testing'
 *
 * const secrets = await startSecretsManagerServer()
 * secrets.putSecret('app/signing-key', 's3cret')
 * const client = new SecretsManagerClient({
 *   endpoint: secrets.endpoint,
 *   region: 'us-east-1',
 *   credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
 * })
 * const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: 'app/signing-key' }))
 * await secrets.close()
 * ```
 */
export async function startSecretsManagerServer(): Promise<SecretsManagerServer> {
  const secrets = new Map<string, Map<string, StoredVersion>>()
  const scripted: ScriptedResponse[] = []
  const requests: ReceivedSecretRequest[] = []
  let versionCounter = 0

  const newVersion = (value: string | Uint8Array): StoredVersion => {
    versionCounter += 1
    return { versionId: `v-${versionCounter}`, value, createdDate: 1_700_000_000 + versionCounter }
  }

  const server: Server = createServer((req, res) => {
    readBody(req).then(
      (raw) => handle(req, res, raw),
      () => sendError(res, 400, 'SerializationException', 'Could not read the request body.'),
    )
  })

  function handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    const target = String(req.headers['x-amz-target'] ?? '')
    if (
      req.method !== 'POST' ||
      req.url !== '/' ||
      !String(req.headers['content-type']).startsWith(JSON_11)
    ) {
      sendError(res, 400, 'SerializationException', 'Expected POST / with application/x-amz-json-1.1.')
      return
    }
    if (target !== TARGET) {
      sendError(res, 400, 'UnknownOperationException', `Unknown operation ${target}.`)
      return
    }
    let input: { SecretId?: unknown; VersionStage?: unknown }
    try {
      input = JSON.parse(raw) as typeof input
    } catch {
      sendError(res, 400, 'SerializationException', 'Malformed JSON.')
      return
    }
    const secretId = String(input.SecretId ?? '')
    const versionStage = typeof input.VersionStage === 'string' ? input.VersionStage : undefined
    requests.push({ target, secretId, versionStage })

    const next = scripted.shift()
    if (next !== undefined) {
      send(res, next.status, next.body)
      return
    }
    const stages = secrets.get(secretId)
    if (stages === undefined) {
      sendError(res, 400, 'ResourceNotFoundException', "Secrets Manager can't find the specified secret.")
      return
    }
    const stage = versionStage ?? 'AWSCURRENT'
    const version = stages.get(stage)
    if (version === undefined) {
      sendError(
        res,
        400,
        'ResourceNotFoundException',
        `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
      )
      return
    }
    const versionStages = [...stages].filter(([, v]) => v === version).map(([name]) => name)
    send(res, 200, {
      ARN: `arn:aws:secretsmanager:us-east-1:123456789012:secret:${secretId}-AbCdEf`,
      Name: secretId,
      VersionId: version.versionId,
      ...(typeof version.value === 'string'
        ? { SecretString: version.value }
        : { SecretBinary: Buffer.from(version.value).toString('base64') }),
      VersionStages: versionStages,
      CreatedDate: version.createdDate,
    })
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    get requestCount() {
      return requests.length
    },
    putSecret(secretId, value, stage = 'AWSCURRENT') {
      const stages = secrets.get(secretId) ?? new Map<string, StoredVersion>()
      stages.set(stage, newVersion(value))
      secrets.set(secretId, stages)
    },
    rotateSecret(secretId, newValue) {
      const stages = secrets.get(secretId)
      const current = stages?.get('AWSCURRENT')
      if (stages === undefined || current === undefined) throw new Error(`No AWSCURRENT for ${secretId}`)
      stages.set('AWSPREVIOUS', current)
      stages.set('AWSCURRENT', newVersion(newValue))
    },
    deleteSecret(secretId) {
      secrets.delete(secretId)
    },
    failNext(failure, times = 1) {
      const { status, type, message } = scriptedFailure(failure)
      for (let i = 0; i < times; i += 1) scripted.push({ status, body: { __type: type, message } })
    },
    respondNext(response, times = 1) {
      for (let i = 0; i < times; i += 1) scripted.push(response)
    },
    reset() {
      secrets.clear()
      scripted.length = 0
      requests.length = 0
    },
    close() {
      server.closeAllConnections()
      return new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
    },
  }
}

function scriptedFailure(failure: ScriptedFailure): { status: number; type: string; message: string } {
  switch (failure) {
    case 'throttling':
      return { status: 400, type: 'ThrottlingException', message: 'Rate exceeded' }
    case 'internal-error':
      return { status: 500, type: 'InternalServiceError', message: 'An error occurred on the server side.' }
    case 'not-found':
      return {
        status: 400,
        type: 'ResourceNotFoundException',
        message: "Secrets Manager can't find the specified secret.",
      }
    default:
      return failure
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, { __type: type, message })
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': JSON_11,
    'Content-Length': Buffer.byteLength(payload),
    'x-amzn-RequestId': `req-${Date.now()}`,
  })
  res.end(payload)
}
