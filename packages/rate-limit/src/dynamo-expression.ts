import type { Clause, Snapshot, Update, WritePlan } from './snapshot'

/** The parts of an UpdateItem input that carry a write plan. */
export interface UpdateExpressionParts {
  ConditionExpression: string
  UpdateExpression: string
  ExpressionAttributeNames: Record<string, string>
  ExpressionAttributeValues: Record<string, number>
}

export const TTL_ATTRIBUTE = 'expiresAt'

/**
 * One UpdateItem for every limit of a request: the AND of all clauses as the condition, and all updates
 * (SET the TTL and token-bucket TATs, ADD the window counters, REMOVE counters of windows no rule reads
 * any more). Attribute names depend on limit names and window numbers, so they travel as placeholders.
 */
export function updateExpression(plan: WritePlan): UpdateExpressionParts {
  const names: Record<string, string> = {}
  const values: Record<string, number> = {}
  const nameIndex = new Map<string, string>()
  const name = (attr: string): string => {
    let placeholder = nameIndex.get(attr)
    if (placeholder === undefined) {
      placeholder = `#a${nameIndex.size}`
      nameIndex.set(attr, placeholder)
      names[placeholder] = attr
    }
    return placeholder
  }
  const value = (v: number): string => {
    const placeholder = `:v${Object.keys(values).length}`
    values[placeholder] = v
    return placeholder
  }
  const conditions = plan.clauses.map((clause) => condition(clause, name, value))
  const sets = [`${name(TTL_ATTRIBUTE)} = ${value(plan.expiresAtSec)}`]
  const adds: string[] = []
  const removes: string[] = []
  for (const update of plan.updates) collect(update, name, value, { sets, adds, removes })
  const sections = [`SET ${sets.join(', ')}`]
  if (adds.length > 0) sections.push(`ADD ${adds.join(', ')}`)
  if (removes.length > 0) sections.push(`REMOVE ${removes.join(', ')}`)
  return {
    ConditionExpression: conditions.join(' AND '),
    UpdateExpression: sections.join(' '),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  }
}

/** The limit state of an item as DynamoDB returned it: plain numbers, or `{ N: '…' }` when not unmarshalled. */
export function snapshotOf(item: unknown): Snapshot {
  const snapshot: Record<string, number> = {}
  if (typeof item !== 'object' || item === null) return snapshot
  for (const [attr, raw] of Object.entries(item)) {
    if (!attr.startsWith('c#') && !attr.startsWith('tat#')) continue
    const n = typeof raw === 'number' ? raw : Number((raw as { N?: unknown } | null)?.N ?? Number.NaN)
    if (Number.isFinite(n)) snapshot[attr] = n
  }
  return snapshot
}

function condition(clause: Clause, name: (attr: string) => string, value: (v: number) => string): string {
  const n = name(clause.attr)
  switch (clause.op) {
    case 'at-most':
      return `(attribute_not_exists(${n}) OR ${n} <= ${value(clause.value)})`
    case 'absent':
      return `attribute_not_exists(${n})`
    case 'between':
      return `(${n} >= ${value(clause.min)} AND ${n} <= ${value(clause.max)})`
    case 'absent-or-below':
      return `(attribute_not_exists(${n}) OR ${n} < ${value(clause.value)})`
    case 'above':
      return `${n} > ${value(clause.value)}`
  }
}

function collect(
  update: Update,
  name: (attr: string) => string,
  value: (v: number) => string,
  into: { sets: string[]; adds: string[]; removes: string[] },
): void {
  if (update.op === 'set') into.sets.push(`${name(update.attr)} = ${value(update.value)}`)
  else if (update.op === 'add') into.adds.push(`${name(update.attr)} ${value(update.value)}`)
  else into.removes.push(name(update.attr))
}
