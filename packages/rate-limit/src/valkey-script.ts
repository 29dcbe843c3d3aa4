import { createHash } from 'node:crypto'
import type { Clause, Snapshot, Update, WritePlan } from './snapshot'

/**
 * A write plan applied atomically on a Valkey/Redis hash (one key per limited key): every clause checked,
 * then every update applied and the expiry set, or nothing at all. Returns `{1, HGETALL}` once applied and
 * `{0, HGETALL}` when a clause failed, so that a refusal never needs a second round trip.
 * ARGV: time to live (s), clause count, then 4 per clause (op, field, x, y), then 3 per update (op, field, v).
 */
export const APPLY_PLAN_SCRIPT = `
local key = KEYS[1]
local i = 3
for c = 1, tonumber(ARGV[2]) do
  local op, field = ARGV[i], ARGV[i + 1]
  local x, y = tonumber(ARGV[i + 2]), tonumber(ARGV[i + 3])
  local raw = redis.call('HGET', key, field)
  local v = nil
  if raw then v = tonumber(raw) end
  local ok
  if op == 'm' then ok = (v == nil or v <= x)
  elseif op == 'a' then ok = (v == nil)
  elseif op == 'b' then ok = (v ~= nil and v >= x and v <= y)
  elseif op == 'l' then ok = (v == nil or v < x)
  else ok = (v ~= nil and v > x) end
  if not ok then return {0, redis.call('HGETALL', key)} end
  i = i + 4
end
while i <= #ARGV do
  local op, field = ARGV[i], ARGV[i + 1]
  if op == 'add' then redis.call('HINCRBY', key, field, ARGV[i + 2])
  elseif op == 'set' then redis.call('HSET', key, field, ARGV[i + 2])
  else redis.call('HDEL', key, field) end
  i = i + 3
end
redis.call('EXPIRE', key, ARGV[1])
return {1, redis.call('HGETALL', key)}
`

let applyPlanSha1: string | undefined

/** The SHA1 that EVALSHA names the script by: computed on first use, not when the module is imported. */
export function applyPlanScriptSha1(): string {
  applyPlanSha1 ??= createHash('sha1').update(APPLY_PLAN_SCRIPT).digest('hex')
  return applyPlanSha1
}

/**
 * The script's ARGV for a plan. The expiry travels as a time to live from the middleware's clock (the
 * server's clock would delete the state of a container whose clock differs from it).
 */
export function scriptArguments(plan: WritePlan, nowMs: number): string[] {
  const ttlSec = Math.max(1, plan.expiresAtSec - Math.floor(nowMs / 1000))
  const args = [String(ttlSec), String(plan.clauses.length)]
  for (const clause of plan.clauses) args.push(...clauseArguments(clause))
  for (const update of plan.updates) args.push(...updateArguments(update))
  return args
}

/** The limit state of a HGETALL reply (`[field, value, field, value, …]`). */
export function snapshotOfFields(reply: unknown): Snapshot {
  const snapshot: Record<string, number> = {}
  if (!Array.isArray(reply)) return snapshot
  for (let i = 0; i + 1 < reply.length; i += 2) {
    const field = String(reply[i])
    const n = Number(String(reply[i + 1]))
    if ((field.startsWith('c#') || field.startsWith('tat#')) && Number.isFinite(n)) snapshot[field] = n
  }
  return snapshot
}

function clauseArguments(clause: Clause): string[] {
  switch (clause.op) {
    case 'at-most':
      return ['m', clause.attr, String(clause.value), '0']
    case 'absent':
      return ['a', clause.attr, '0', '0']
    case 'between':
      return ['b', clause.attr, String(clause.min), String(clause.max)]
    case 'absent-or-below':
      return ['l', clause.attr, String(clause.value), '0']
    case 'above':
      return ['g', clause.attr, String(clause.value), '0']
  }
}

function updateArguments(update: Update): string[] {
  return update.op === 'remove'
    ? ['remove', update.attr, '0']
    : [update.op, update.attr, String(update.value)]
}
