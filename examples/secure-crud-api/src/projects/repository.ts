import { randomUUID } from 'node:crypto'
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from 'dynamodb-toolbox'
import {
  PROJECT_PREFIX,
  type ProjectEntity,
  type ProjectsTable,
  projectSortKey,
  tenantPartition,
} from './table'
import type { ProjectChanges, ProjectInput } from './validation'

/** A project as the API returns it. */
export interface Project {
  projectId: string
  tenantId: string
  name: string
  description?: string
  status: 'active' | 'archived'
  version: number
  createdBy: string
  updatedBy: string
  createdAt: string
  updatedAt: string
}

export interface ProjectPage {
  items: Project[]
  /** Opaque: pass it back as `cursor` for the next page. Absent on the last page. */
  nextCursor?: string
}

/** Why a write did not happen. */
export type WriteConflict = 'not-found' | 'version-mismatch'

export interface ProjectRepository {
  list(tenantId: string, page: { limit: number; cursor?: string }): Promise<ProjectPage>
  get(tenantId: string, projectId: string): Promise<Project | undefined>
  create(tenantId: string, input: ProjectInput, actor: string): Promise<Project>
  update(
    tenantId: string,
    projectId: string,
    changes: ProjectChanges,
    actor: string,
  ): Promise<Project | WriteConflict>
  remove(tenantId: string, projectId: string, expectedVersion?: number): Promise<true | WriteConflict>
}

/**
 * Every method takes the tenant first and builds the key from it, so no call can reach another tenant's
 * partition: the tenant always comes from the authenticated principal, never from the request body.
 */
export function projectRepository(table: ProjectsTable, entity: ProjectEntity): ProjectRepository {
  const get = async (tenantId: string, projectId: string) => {
    const { Item } = await entity.build(GetItemCommand).key({ tenantId, projectId }).send()
    return Item ? toProject(Item) : undefined
  }
  return {
    async list(tenantId, { limit, cursor }) {
      const { Items = [], LastEvaluatedKey } = await table
        .build(QueryCommand)
        .query({ partition: tenantPartition(tenantId), range: { beginsWith: PROJECT_PREFIX } })
        .entities(entity)
        .options({
          limit,
          ...(cursor
            ? { exclusiveStartKey: { pk: tenantPartition(tenantId), sk: projectSortKey(cursor) } }
            : {}),
        })
        .send()
      const sortKey = LastEvaluatedKey?.sk
      return {
        items: Items.map(toProject),
        ...(typeof sortKey === 'string' ? { nextCursor: sortKey.slice(PROJECT_PREFIX.length) } : {}),
      }
    },

    get,

    async create(tenantId, input, actor) {
      const projectId = randomUUID()
      const { ToolboxItem } = await entity
        .build(PutItemCommand)
        .item({
          tenantId,
          projectId,
          name: input.name,
          ...(input.description === undefined ? {} : { description: input.description }),
          status: input.status ?? 'active',
          version: 1,
          createdBy: actor,
          updatedBy: actor,
        })
        .options({ condition: { attr: 'projectId', exists: false } })
        .send()
      return toProject(ToolboxItem)
    },

    async update(tenantId, projectId, changes, actor) {
      const { version, ...fields } = changes
      try {
        const { Attributes } = await entity
          .build(UpdateItemCommand)
          .item({ tenantId, projectId, ...fields, version: version + 1, updatedBy: actor })
          .options({
            condition: {
              and: [
                { attr: 'projectId', exists: true },
                { attr: 'version', eq: version },
              ],
            },
            returnValues: 'ALL_NEW',
          })
          .send()
        return toProject(Attributes as ProjectItem)
      } catch (error) {
        if (!isConditionFailure(error)) throw error
        return (await get(tenantId, projectId)) ? 'version-mismatch' : 'not-found'
      }
    },

    async remove(tenantId, projectId, expectedVersion) {
      try {
        await entity
          .build(DeleteItemCommand)
          .key({ tenantId, projectId })
          .options({
            condition:
              expectedVersion === undefined
                ? { attr: 'projectId', exists: true }
                : {
                    and: [
                      { attr: 'projectId', exists: true },
                      { attr: 'version', eq: expectedVersion },
                    ],
                  },
          })
          .send()
        return true
      } catch (error) {
        if (!isConditionFailure(error)) throw error
        return (await get(tenantId, projectId)) ? 'version-mismatch' : 'not-found'
      }
    },
  }
}

type ProjectItem = Omit<Project, 'status'> & { status: string }

function toProject(item: ProjectItem): Project {
  return {
    projectId: item.projectId,
    tenantId: item.tenantId,
    name: item.name,
    ...(item.description === undefined ? {} : { description: item.description }),
    status: item.status as Project['status'],
    version: item.version,
    createdBy: item.createdBy,
    updatedBy: item.updatedBy,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  }
}

function isConditionFailure(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'ConditionalCheckFailedException'
}
