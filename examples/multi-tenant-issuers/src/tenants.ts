import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { IssuerOptions, IssuerResolver, JwtAlgorithm } from '@lift/auth-jwt'
import { Entity, GetItemCommand, item, list, string, Table } from 'dynamodb-toolbox'

/** The tenant table: one item per tenant identity provider, keyed by its exact `iss` (`ISSUER#<iss>`). */
export function tenantsTable(tableName: string, documentClient: DynamoDBDocumentClient) {
  return new Table({ name: tableName, partitionKey: { name: 'pk', type: 'string' }, documentClient })
}

export const TENANT_STATUSES = ['active', 'suspended'] as const

/** A tenant's identity provider: who it is, which `aud` its tokens carry, where its keys are. */
export function tenantIssuerEntity(table: ReturnType<typeof tenantsTable>) {
  return new Entity({
    name: 'TenantIssuer',
    table,
    schema: item({
      issuer: string().key(),
      tenantId: string(),
      audience: string(),
      algorithms: list(string()),
      jwksUri: string(),
      status: string().enum(...TENANT_STATUSES),
    }),
    computeKey: ({ issuer }) => ({ pk: `ISSUER#${issuer}` }),
  })
}

export type TenantIssuerEntity = ReturnType<typeof tenantIssuerEntity>

/**
 * The issuer resolver: one GetItem for an `iss` jwtAuth has not seen (jwtAuth calls it only for a
 * well-formed `iss`, once at a time, and caches both answers). An active tenant becomes an issuer entry
 * with its fixed `tenantId`; a suspended or unknown one is `undefined` (401). The item's values are
 * validated by jwtAuth like any issuer entry: a broken row is a 503 and one `issuer-config-invalid` event.
 */
export function tenantIssuerResolver(entity: TenantIssuerEntity): IssuerResolver {
  return async (iss): Promise<IssuerOptions | undefined> => {
    const { Item } = await entity.build(GetItemCommand).key({ issuer: iss }).send()
    if (Item === undefined || Item.status !== 'active') return undefined
    return {
      issuer: Item.issuer,
      tenantId: Item.tenantId,
      audience: Item.audience,
      algorithms: Item.algorithms as JwtAlgorithm[],
      jwksUri: Item.jwksUri,
    }
  }
}
