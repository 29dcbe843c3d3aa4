import { httpRequestView, type LiftContext, LiftHttpError, requirePrincipal } from '@lift/security-core'
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda'
import { type CreateProject, parseIdempotencyKey } from './idempotent-create'
import type { Project, ProjectRepository, WriteConflict } from './repository'
import { parseExpectedVersion, parseProjectChanges, parseProjectInput } from './validation'

export type RouteHandler = (
  event: APIGatewayProxyEventV2,
  context: Context & LiftContext,
) => Promise<APIGatewayProxyResultV2>

export interface ProjectRoutes {
  list: RouteHandler
  get: RouteHandler
  create: RouteHandler
  update: RouteHandler
  remove: RouteHandler
}

const PAGE_DEFAULT = 25
const PAGE_MAX = 100

/**
 * The business logic of the projects API, written as if nothing else existed: the middlewares in front
 * have already authenticated the caller, checked that the path's tenant is theirs, applied rate limits and
 * roles, and parsed the JSON body. The tenant used for data access is always the principal's.
 */
export function projectRoutes(repository: ProjectRepository, createProject: CreateProject): ProjectRoutes {
  return {
    async list(event, context) {
      const { tenantId } = caller(context)
      const view = httpRequestView(event)
      const page = await repository.list(tenantId, {
        limit: pageSize(view.query.limit),
        ...(view.query.cursor ? { cursor: cursorOf(view.query.cursor) } : {}),
      })
      return json(200, page)
    },

    async get(event, context) {
      const { tenantId } = caller(context)
      const project = await repository.get(tenantId, projectIdOf(event))
      if (!project) throw notFound()
      return json(200, project, etag(project))
    },

    async create(event, context) {
      const { tenantId, id } = caller(context)
      const input = parseProjectInput(event.body)
      const idempotencyKey = parseIdempotencyKey(httpRequestView(event).header('idempotency-key'))
      const project = await createProject(
        { tenantId, actor: id, input, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) },
        context,
      )
      return json(201, project, {
        ...etag(project),
        Location: `/tenants/${tenantId}/projects/${project.projectId}`,
      })
    },

    async update(event, context) {
      const { tenantId, id } = caller(context)
      const changes = parseProjectChanges(event.body)
      const result = await repository.update(tenantId, projectIdOf(event), changes, id)
      if (typeof result === 'string') throw conflictOrMissing(result)
      return json(200, result, etag(result))
    },

    async remove(event, context) {
      const { tenantId } = caller(context)
      const expectedVersion = parseExpectedVersion(httpRequestView(event).query.version)
      const result = await repository.remove(tenantId, projectIdOf(event), expectedVersion)
      if (result !== true) throw conflictOrMissing(result)
      return { statusCode: 204 }
    },
  }
}

/** The authenticated caller; its tenant is required (every token and service key here carries one). */
function caller(context: Context & LiftContext): { id: string; tenantId: string } {
  const principal = requirePrincipal({ context })
  if (principal.tenantId === undefined)
    throw new LiftHttpError(403, { code: 'tenant-required', detail: 'This API needs a tenant-bound caller.' })
  return { id: principal.id, tenantId: principal.tenantId }
}

const PROJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function projectIdOf(event: APIGatewayProxyEventV2): string {
  const projectId = httpRequestView(event).pathParameters.projectId
  // Ids are UUIDs: anything else cannot exist, and is refused before it reaches DynamoDB.
  if (!projectId || !PROJECT_ID.test(projectId)) throw notFound()
  return projectId
}

/** A cursor is the last project id of a page; anything else (e.g. past DynamoDB's key size) is a 400. */
function cursorOf(raw: string): string {
  if (!PROJECT_ID.test(raw))
    throw new LiftHttpError(400, {
      code: 'invalid-cursor',
      detail: 'cursor must be a nextCursor of a listing.',
    })
  return raw
}

function pageSize(raw: string | undefined): number {
  if (raw === undefined) return PAGE_DEFAULT
  const size = /^\d{1,3}$/.test(raw) ? Number(raw) : 0
  if (size < 1 || size > PAGE_MAX)
    throw new LiftHttpError(400, { code: 'invalid-limit', detail: `limit must be 1 to ${PAGE_MAX}.` })
  return size
}

function conflictOrMissing(conflict: WriteConflict): LiftHttpError {
  return conflict === 'not-found'
    ? notFound()
    : new LiftHttpError(409, {
        code: 'version-conflict',
        detail: 'The project changed since you read it; read it again and retry with its current version.',
      })
}

function notFound(): LiftHttpError {
  return new LiftHttpError(404, { code: 'not-found', detail: 'No such project.' })
}

function etag(project: Project): Record<string, string> {
  return { ETag: `"${project.version}"` }
}

function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResultV2 {
  return {
    statusCode,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  }
}
