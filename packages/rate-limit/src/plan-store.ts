import { AsyncResource } from 'node:async_hooks'
import { TtlLruCache } from '@lift/security-core'
import { decide, type LimitStatus, statuses } from './algorithms'
import type { ResolvedRule } from './rules'
import type { Snapshot, WritePlan } from './snapshot'
import type { ConsumeRequest, ConsumeResult, RateLimitStore } from './store'

/** The outcome of one conditional write. */
export interface ApplyOutcome {
  readonly applied: boolean
  /** Applied: the state after the write. Not applied: the state that failed the clauses, when the backend returns it. */
  readonly snapshot: Snapshot | undefined
}

/** What a shared store does on the wire: one atomic conditional write, one consistent read. */
export interface PlanBackend {
  /** Applies every update of `plan` to the key's state if (and only if) every clause holds, atomically. */
  apply(key: string, plan: WritePlan, now: number, signal: AbortSignal): Promise<ApplyOutcome>
  /** Needed only by a backend whose failed writes can come back without the state (dynalite). */
  read?(key: string, signal: AbortSignal): Promise<Snapshot>
  ready(): Promise<void>
}

export interface PlanStoreSettings {
  readonly owner: string
  readonly maxCachedKeys: number
  readonly maxAttempts: number
}

interface Pending {
  readonly request: ConsumeRequest
  /**
   * Runs `settle` in the async context of the invocation that made this request. The drain loop belongs to
   * the invocation that started it, which may have answered (or ended) by the time a later invocation's
   * batch is written: its store calls, their log lines and trace spans must be that later invocation's.
   */
  readonly inOwnContext: <T>(settle: () => T) => T
  resolve(result: ConsumeResult): void
  reject(error: unknown): void
}

/** Requests settled together at most (one write charges all of them). */
const MAX_BATCH = 1_000

/**
 * A store over a backend that can apply a write plan atomically (DynamoDB UpdateItem, a Valkey script).
 * Requests of one container for one key are settled one batch at a time: the requests that arrived while
 * a write was in flight are decided together on the newest known state and charged by ONE conditional write,
 * and those that no longer fit are refused from that state without any call. A refusal decided on a real
 * state of the item holds (counts, TATs and window numbers only grow); an admission holds because the write
 * restates every assumption as a condition. So a burst costs a few writes per container, not one per request.
 */
export function planStore(backend: PlanBackend, settings: PlanStoreSettings): RateLimitStore {
  const lastSeen = new TtlLruCache<string, Snapshot>({
    maxEntries: settings.maxCachedKeys,
    ttlMs: Number.POSITIVE_INFINITY,
  })
  const queues = new Map<string, Pending[]>()

  const settle = async (key: string, batch: Pending[]): Promise<void> => {
    const { rules } = batch[0]!.request
    let snapshot: Snapshot = lastSeen.get(key) ?? {}
    let open = batch
    const group = groupSignal(() => open)
    try {
      for (let attempt = 0; open.length > 0; ) {
        group.signal.throwIfAborted()
        const now = latest(open)
        const { admitted, refused, charged } = split(snapshot, rules, open, now)
        if (admitted.length === 0) {
          // Nothing fits on a real state, or (no state seen yet) the costs exceed the limits: final.
          for (const pending of refused) pending.resolve(refusal(snapshot, rules, pending.request.cost, now))
          return
        }
        if (attempt >= settings.maxAttempts)
          throw new Error(`${settings.owner}: the item stayed contended for ${settings.maxAttempts} attempts`)
        const outcome = await backend.apply(
          key,
          decide(snapshot, rules, charged, now).plan,
          now,
          group.signal,
        )
        if (outcome.applied) {
          snapshot = outcome.snapshot ?? {}
          lastSeen.set(key, snapshot)
          const after = statuses(snapshot, rules, now)
          let later = charged
          for (const pending of admitted) {
            later -= pending.request.cost
            pending.resolve({ allowed: true, statuses: after.map((s) => unwound(s, later)), blockMs: 0 })
          }
          // The others are decided again on the state this write produced (a real one).
          open = refused
          continue
        }
        attempt++
        snapshot = outcome.snapshot ?? (await readState(backend, key, group.signal))
        lastSeen.set(key, snapshot)
      }
    } catch (error) {
      for (const pending of open) pending.reject(error)
    } finally {
      group.dispose()
    }
  }

  const drain = async (key: string, queue: Pending[]): Promise<void> => {
    try {
      while (queue.length > 0) {
        const batch = takeBatch(queue)
        if (batch.length > 0) await batch[0]!.inOwnContext(() => settle(key, batch))
      }
    } finally {
      queues.delete(key)
    }
  }

  return {
    ready: () => backend.ready(),
    consume(request: ConsumeRequest): Promise<ConsumeResult> {
      return new Promise<ConsumeResult>((resolve, reject) => {
        const queue = queues.get(request.key)
        if (queue !== undefined) {
          // Written by another invocation's drain loop: bound to this one's context (the uncontended path,
          // below, starts the loop in its own context and allocates nothing for it).
          queue.push({ request, inOwnContext: AsyncResource.bind(runCallback), resolve, reject })
          return
        }
        const fresh: Pending[] = [{ request, inOwnContext: runCallback, resolve, reject }]
        queues.set(request.key, fresh)
        void drain(request.key, fresh)
      })
    },
  }
}

function runCallback<T>(callback: () => T): T {
  return callback()
}

function readState(backend: PlanBackend, key: string, signal: AbortSignal): Promise<Snapshot> {
  if (backend.read === undefined) throw new Error('the store returned no state with a failed write')
  return backend.read(key, signal)
}

/** The first waiting request and every later one with the same rules (aborted ones are dropped). */
function takeBatch(queue: Pending[]): Pending[] {
  const batch: Pending[] = []
  let rules: readonly ResolvedRule[] | undefined
  for (let i = 0; i < queue.length && batch.length < MAX_BATCH; ) {
    const pending = queue[i]!
    if (pending.request.signal.aborted) {
      pending.reject(pending.request.signal.reason)
      queue.splice(i, 1)
      continue
    }
    rules ??= pending.request.rules
    if (pending.request.rules !== rules) {
      i++
      continue
    }
    batch.push(pending)
    queue.splice(i, 1)
  }
  return batch
}

/** Greedy, in arrival order: each request is admitted if it still fits with the ones admitted before it. */
function split(
  snapshot: Snapshot,
  rules: readonly ResolvedRule[],
  open: readonly Pending[],
  now: number,
): { admitted: Pending[]; refused: Pending[]; charged: number } {
  const admitted: Pending[] = []
  const refused: Pending[] = []
  let charged = 0
  for (const pending of open) {
    const cost = pending.request.cost
    if (decide(snapshot, rules, charged + cost, now).allowed) {
      admitted.push(pending)
      charged += cost
    } else {
      refused.push(pending)
    }
  }
  return { admitted, refused, charged }
}

function refusal(
  snapshot: Snapshot,
  rules: readonly ResolvedRule[],
  cost: number,
  now: number,
): ConsumeResult {
  const decision = decide(snapshot, rules, cost, now)
  return {
    allowed: false,
    statuses: statuses(snapshot, rules, now),
    denied: decision.denied,
    blockMs: decision.blockMs,
  }
}

function latest(open: readonly Pending[]): number {
  let now = open[0]!.request.now
  for (const pending of open) if (pending.request.now > now) now = pending.request.now
  return now
}

/** A status as it was before `units` charged after it in the same write. */
function unwound(status: LimitStatus, units: number): LimitStatus {
  if (units === 0) return status
  const { rule } = status
  const resetMs =
    rule.algorithm === 'token-bucket'
      ? Math.max(0, status.resetMs - Math.floor((units * rule.intervalUs) / 1000))
      : status.resetMs
  return { rule, remaining: Math.min(rule.limit, status.remaining + units), resetMs }
}

/** Aborted once every request still waiting on the write has given up (its own deadline passed). */
function groupSignal(open: () => readonly Pending[]): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController()
  const check = (): void => {
    const waiting = open()
    if (waiting.length > 0 && waiting.every((p) => p.request.signal.aborted))
      controller.abort(waiting[0]!.request.signal.reason)
  }
  const signals = open().map((p) => p.request.signal)
  for (const signal of signals) signal.addEventListener('abort', check, { once: true })
  check()
  return {
    signal: controller.signal,
    dispose: () => {
      for (const signal of signals) signal.removeEventListener('abort', check)
    },
  }
}
