import { memoryStore } from '@lift/rate-limit'
import { createTestIssuer, serveLocal } from '@lift/testing'
import { createHandler, ROUTES } from './handler'

export interface DemoOptions {
  print: (line: string) => void
}

export interface DemoStep {
  title: string
  statuses: number[]
  /** The RateLimit field of the last answer. */
  rateLimit: string | null
  retryAfter: string | null
}

const AUDIENCE = 'rate-limited-api'

/**
 * One run, no AWS: the API on 127.0.0.1 (counts in memory, tokens from a local test issuer), then bursts
 * of requests that run into each limit: anonymous per IP, a free-plan user, a paid user, and a report that
 * costs five units. Prints each burst's statuses and the last RateLimit field, and stops the servers.
 */
export async function runDemo({ print }: DemoOptions): Promise<DemoStep[]> {
  const issuer = await createTestIssuer({ alg: 'RS256', audience: AUDIENCE })
  const tokens = {
    free: await issuer.sign({ sub: 'free-user', plan: 'free' }),
    paid: await issuer.sign({ sub: 'paid-user', plan: 'paid' }),
  }
  // The API's clock stands still during the demo, so every run shows the same counts however slow the machine.
  const frozen = Date.now()
  const api = createHandler({
    issuer: issuer.issuer,
    audience: AUDIENCE,
    jwksUri: issuer.jwksUri,
    store: memoryStore(),
    now: () => frozen,
  })
  const server = await serveLocal(api, { port: 0, routes: ROUTES })
  try {
    print(`API listening on ${server.url} (${ROUTES.join(', ')})`)
    const steps: DemoStep[] = []
    const burst = async (title: string, count: number, path: string, init: RequestInit = {}) => {
      const statuses: number[] = []
      let last: Response | undefined
      for (let i = 0; i < count; i++) {
        last = await fetch(`${server.url}${path}`, init)
        await last.arrayBuffer()
        statuses.push(last.status)
      }
      const step = {
        title,
        statuses,
        rateLimit: last?.headers.get('ratelimit') ?? null,
        retryAfter: last?.headers.get('retry-after') ?? null,
      }
      steps.push(step)
      print(
        `  ${title}: ${statuses.join(' ')}  RateLimit: ${step.rateLimit}${step.retryAfter ? `  Retry-After: ${step.retryAfter}` : ''}`,
      )
    }
    const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })
    await burst('anonymous GET /public x11 (10/min per IP)', 11, '/public')
    await burst('free plan GET /me x6 (burst 5)', 6, '/me', bearer(tokens.free))
    await burst('paid plan GET /me x6 (burst 20)', 6, '/me', bearer(tokens.paid))
    await burst('paid plan POST /reports x4 (cost 5 each)', 4, '/reports', {
      method: 'POST',
      ...bearer(tokens.paid),
    })
    return steps
  } finally {
    await server.close()
    await issuer.close()
  }
}
