import type { AuditRecord } from '@lift/observability'

/** One readable terminal line per audit record, for the demo. */
export function formatAuditRecord(record: AuditRecord): string {
  const time = record.at.slice(11, 19)
  const who = record.principalId
    ? `${record.principalId}${record.tenantId ? `@${record.tenantId}` : ''}`
    : '-'
  const decision = record.decision === 'allow' ? 'allow' : 'DENY '
  return `  audit ${time}  ${decision}  ${record.type.padEnd(9)}  ${record.reason.padEnd(22)}  ${who.padEnd(18)}  ${record.route ?? ''}`
}
