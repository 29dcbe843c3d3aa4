import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency'
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb'
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { LiftHttpError } from '@lift/security-core'
import type { Context } from 'aws-lambda'
import type { Project, ProjectRepository } from './repository'
import type { ProjectInput } from './validation'

export interface CreateProjectRequest {
  tenantId: string
  /** The client's `Idempotency-Key` header; absent → a plain create. */
  idempotencyKey?: string
  actor: string
  input: ProjectInput
}

export interface IdempotentCreateOptions {
  /** The data table (the same one as the projects): records live under `pk = IDEMPOTENCY`. */
  tableName: string
  client: DynamoDBClient
  /** How long a key is remembered (default 24 h, as Stripe does). */
  expiresAfterSeconds?: number
}

export type CreateProject = (request: CreateProjectRequest, context: Context) => Promise<Project>

/**
 * `POST /projects` with an `Idempotency-Key`: Powertools Idempotency on the data table. The key is
 * hashed together with the tenant, so two tenants that pick the same key never see each other's result;
 * the body is part of the record, so reusing a key with another body is refused instead of answered
 * with the first project.
 */
export function idempotentCreate(
  repository: ProjectRepository,
  options: IdempotentCreateOptions,
): CreateProject {
  const config = new IdempotencyConfig({
    eventKeyJmesPath: '[tenantId, idempotencyKey]',
    payloadValidationJmesPath: 'input',
    expiresAfterSeconds: options.expiresAfterSeconds ?? 86_400,
    throwOnNoIdempotencyKey: true,
  })
  const persistenceStore = new DynamoDBPersistenceLayer({
    tableName: options.tableName,
    keyAttr: 'pk',
    sortKeyAttr: 'sk',
    staticPkValue: 'IDEMPOTENCY',
    expiryAttr: 'expiresAt',
    awsSdkV3Client: options.client,
  })
  const createOnce = makeIdempotent(
    (request: CreateProjectRequest) => repository.create(request.tenantId, request.input, request.actor),
    { persistenceStore, config },
  )
  return async (request, context) => {
    if (request.idempotencyKey === undefined)
      return repository.create(request.tenantId, request.input, request.actor)
    config.registerLambdaContext(context)
    try {
      return await createOnce(request)
    } catch (error) {
      throw idempotencyProblem(error) ?? error
    }
  }
}

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/

/** The `Idempotency-Key` header (draft-ietf-httpapi-idempotency-key-header): 1–255 visible ASCII characters. */
export function parseIdempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  if (!IDEMPOTENCY_KEY.test(raw))
    throw new LiftHttpError(400, {
      code: 'invalid-idempotency-key',
      detail: 'Idempotency-Key must be 1 to 255 visible ASCII characters.',
    })
  return raw
}

function idempotencyProblem(error: unknown): LiftHttpError | undefined {
  switch ((error as { name?: string } | null)?.name) {
    case 'IdempotencyValidationError':
      return new LiftHttpError(422, {
        code: 'idempotency-key-reused',
        detail: 'This Idempotency-Key was used with a different request body.',
      })
    case 'IdempotencyAlreadyInProgressError':
      return new LiftHttpError(409, {
        code: 'request-in-progress',
        detail: 'A request with this Idempotency-Key is still being processed; retry shortly.',
        headers: { 'Retry-After': '1' },
      })
    default:
      return undefined
  }
}
