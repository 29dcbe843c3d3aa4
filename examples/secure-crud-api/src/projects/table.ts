import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { Entity, item, number, string, Table } from 'dynamodb-toolbox'

/**
 * The data table: projects and Powertools idempotency records. Every project lives in its tenant's
 * partition (`TENANT#<tenantId>`), so a query names exactly one tenant and can never return another's items.
 */
export function projectsTable(tableName: string, documentClient: DynamoDBDocumentClient) {
  return new Table({
    name: tableName,
    partitionKey: { name: 'pk', type: 'string' },
    sortKey: { name: 'sk', type: 'string' },
    documentClient,
  })
}

export type ProjectsTable = ReturnType<typeof projectsTable>

export const PROJECT_STATUSES = ['active', 'archived'] as const

export function projectEntity(table: ProjectsTable) {
  return new Entity({
    name: 'Project',
    table,
    schema: item({
      tenantId: string().key(),
      projectId: string().key(),
      name: string(),
      description: string().optional(),
      status: string().enum(...PROJECT_STATUSES),
      version: number(),
      createdBy: string(),
      updatedBy: string(),
    }),
    computeKey: ({ tenantId, projectId }) => ({
      pk: tenantPartition(tenantId),
      sk: projectSortKey(projectId),
    }),
    timestamps: {
      created: { name: 'createdAt', savedAs: 'createdAt' },
      modified: { name: 'updatedAt', savedAs: 'updatedAt' },
    },
  })
}

export type ProjectEntity = ReturnType<typeof projectEntity>

export function tenantPartition(tenantId: string): string {
  return `TENANT#${tenantId}`
}

export const PROJECT_PREFIX = 'PROJECT#'

export function projectSortKey(projectId: string): string {
  return PROJECT_PREFIX + projectId
}
