import { Logger } from '@aws-lambda-powertools/logger'
import { ScanCommand } from '@aws-sdk/lib-dynamodb'
import { type AuditRecord, observability } from '@lift/observability'
import autocannon from 'autocannon'
import { PLAN_LIMITS } from './limits'
import { type LocalStack, startLocalStack, TENANTS, type TenantId } from './local-stack'

export interface LoadOptions {
  /** Requests in all (each answered before the table is checked, so none is in flight at the end). */
  amount: number
  connections: number
}

/** A caller of the load: an enterprise admin that reads and writes, or a free reader that hits its limits. */
interface LoadPrincipal {
  readonly name: string
  readonly tenant: TenantId
  readonly plan: 'enterprise' | 'free'
  readonly token: string
  sent: number
  limited: number
}

export interface PrincipalOutcome {
  name: string
  plan: string
  sent: number
  admitted: number
  limited: number
  /** What the limits allow with the stack's clock frozen: min(sent, burst). */
  expectedAdmitted: number
}

export interface LoadReport {
  amount: number
  durationSec: number
  connections: number
  requests: number
  requestsPerSec: number
  latencyMs: { p50: number; p99: number; mean: number; max: number }
  statuses: Record<string, number>
  serverErrors: number
  createsAnswered: number
  itemsStored: number
  lostWrites: number
  duplicatedWrites: number
  principals: PrincipalOutcome[]
  rateLimitsExact: boolean
  /** Rate-limit decisions taken without the store (it failed or timed out): must be 0 for exact limits. */
  storeErrors: number
  /** Audit records written by observability during the run… */
  auditRecords: number
  /** …and the decisions the responses imply: 3 per admitted request (authn, rate limit, authz), 2 per 429. */
  expectedAuditRecords: number
}

/**
 * Mixed reads and writes from several tenants at high concurrency against the whole stack (serveLocal +
 * dynalite), then checks the table: every 201 is one stored item (none lost, none duplicated), no 5xx,
 * and each principal admitted exactly what its plan allows. The stack's clock is frozen during the run, so
 * the exact expectation is min(sent, burst) per principal.
 */
export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const frozen = Date.now()
  const audit: AuditRecord[] = []
  const outer = observability({
    logger: new Logger({ logLevel: 'SILENT' }),
    requestMetrics: false,
    audit: { metrics: false, write: (record) => audit.push(record) },
  })
  const stack = await startLocalStack({ now: () => frozen, outer: [outer] })
  try {
    const principals = await loadPrincipals(stack)
    const created = new Set<string>()
    const statuses: Record<string, number> = {}
    let nextPrincipal = 0
    let writeCounter = 0
    const result = await autocannon({
      url: stack.url,
      connections: options.connections,
      amount: options.amount,
      requests: [
        {
          // autocannon starts each request with a fresh context, so the principal travels in it to onResponse.
          setupRequest(request, context: { principal?: LoadPrincipal }) {
            const principal = principals[nextPrincipal++ % principals.length]!
            context.principal = principal
            principal.sent += 1
            const headers = { authorization: `Bearer ${principal.token}`, 'content-type': 'application/json' }
            const list = `/tenants/${principal.tenant}/projects?limit=10`
            if (principal.plan === 'free' || principal.sent % 2 === 0)
              return { ...request, method: 'GET', path: list, headers }
            const name = `load-${++writeCounter}`
            return {
              ...request,
              method: 'POST',
              path: `/tenants/${principal.tenant}/projects`,
              headers: { ...headers, 'idempotency-key': name },
              body: JSON.stringify({ name }),
            }
          },
          onResponse(status, body, context: { principal?: LoadPrincipal }) {
            statuses[status] = (statuses[status] ?? 0) + 1
            if (status === 429) context.principal!.limited += 1
            if (status === 201) created.add((JSON.parse(body) as { projectId: string }).projectId)
          },
        },
      ],
    })
    const stored = await storedLoadItems(stack)
    const outcomes = principals.map((principal) => {
      const burst = PLAN_LIMITS[principal.plan][0]!.limit
      return {
        name: principal.name,
        plan: principal.plan,
        sent: principal.sent,
        admitted: principal.sent - principal.limited,
        limited: principal.limited,
        expectedAdmitted: Math.min(principal.sent, burst),
      }
    })
    return {
      amount: options.amount,
      durationSec: result.duration,
      connections: options.connections,
      requests: result.requests.total,
      requestsPerSec: result.requests.average,
      latencyMs: {
        p50: result.latency.p50,
        p99: result.latency.p99,
        mean: result.latency.mean,
        max: result.latency.max,
      },
      statuses,
      serverErrors: Object.entries(statuses)
        .filter(([status]) => status.startsWith('5'))
        .reduce((sum, [, count]) => sum + count, 0),
      createsAnswered: created.size,
      itemsStored: stored.length,
      lostWrites: [...created].filter((id) => !stored.some((item) => item.projectId === id)).length,
      duplicatedWrites: stored.length - new Set(stored.map((item) => item.name)).size,
      principals: outcomes,
      rateLimitsExact: outcomes.every((outcome) => outcome.admitted === outcome.expectedAdmitted),
      storeErrors: audit.filter((record) => record.reason.startsWith('store-error')).length,
      auditRecords: audit.length,
      expectedAuditRecords: Object.entries(statuses).reduce(
        (sum, [status, count]) => sum + count * (status === '429' ? 2 : 3),
        0,
      ),
    }
  } finally {
    await stack.close()
  }
}

async function loadPrincipals(stack: LocalStack): Promise<LoadPrincipal[]> {
  const principals: LoadPrincipal[] = []
  for (const tenant of TENANTS) {
    for (const [name, plan, roles] of [
      [`${tenant}-writer-1`, 'enterprise', ['admin']],
      [`${tenant}-writer-2`, 'enterprise', ['admin']],
      [`${tenant}-reader`, 'free', ['reader']],
    ] as const) {
      const token = await stack.token(tenant, name, roles, { plan })
      principals.push({ name, tenant, plan, token, sent: 0, limited: 0 })
    }
  }
  return principals
}

/** Every project the load wrote (names start with `load-`), read back with a full scan. */
async function storedLoadItems(stack: LocalStack): Promise<{ projectId: string; name: string }[]> {
  const items: { projectId: string; name: string }[] = []
  let startKey: Record<string, unknown> | undefined
  do {
    const page = await stack.db.documentClient.send(
      new ScanCommand({ TableName: stack.config.dataTableName, ExclusiveStartKey: startKey }),
    )
    for (const item of page.Items ?? [])
      if (typeof item.name === 'string' && item.name.startsWith('load-'))
        items.push({ projectId: String(item.projectId), name: item.name })
    startKey = page.LastEvaluatedKey
  } while (startKey)
  return items
}
