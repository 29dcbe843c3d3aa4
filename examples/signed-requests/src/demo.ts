import { randomBytes } from 'node:crypto'
import { memoryNonceStore } from '@lift/request-signing'
import { serveLocal } from '@lift/testing'
import { CALLEE_ROUTE, createCallee } from './callee'
import { type CallResult, createCaller } from './caller'

export interface DemoOptions {
  print: (line: string) => void
}

/** What one demo step sent: the request the caller made (after any tampering) and the callee's answer. */
export interface DemoStep {
  title: string
  result: CallResult
}

const KEY_ID = 'orders-caller'

/**
 * One run, no AWS: the callee on 127.0.0.1 (HMAC key generated now, nonces in memory), the real caller
 * code against it three times — a signed order (201), the same request replayed (401), and a request whose
 * body a man in the middle changed after signing (401). Prints each answer and stops the server.
 */
export async function runDemo({ print }: DemoOptions): Promise<DemoStep[]> {
  const secret = randomBytes(32).toString('base64url')
  const callee = createCallee({
    keys: { [KEY_ID]: { key: secret, alg: 'hmac-sha256', principalId: KEY_ID } },
    nonceStore: memoryNonceStore(),
  })
  const server = await serveLocal(callee, { port: 0, routes: [CALLEE_ROUTE] })
  try {
    const calleeUrl = `${server.url}/orders`
    let lastRequest: { url: string; init: RequestInit } | undefined
    const recordingFetch: typeof fetch = (url, init = {}) => {
      lastRequest = { url: String(url), init }
      return fetch(url, init)
    }
    const tamperingFetch: typeof fetch = (url, init = {}) =>
      fetch(url, { ...init, body: String(init.body).replace('"amount":10', '"amount":10000') })
    const signingKey = async () => secret
    const caller = createCaller({ calleeUrl, keyId: KEY_ID, signingKey, fetch: recordingFetch })
    const tamperedCaller = createCaller({ calleeUrl, keyId: KEY_ID, signingKey, fetch: tamperingFetch })

    print(`Callee listening on ${calleeUrl} (${CALLEE_ROUTE}, HMAC-SHA256 key "${KEY_ID}")`)
    const steps: DemoStep[] = []
    const step = async (title: string, call: () => Promise<CallResult>) => {
      const result = await call()
      steps.push({ title, result })
      print(`  ${result.status}  ${title}: ${JSON.stringify(result.body)}`)
    }
    await step('signed order', () => caller({ orderId: 'o-1', amount: 10 }))
    await step('the same request replayed', async () => {
      const { url, init } = lastRequest!
      const response = await fetch(url, init)
      return { status: response.status, body: await response.json() }
    })
    await step('body changed after signing', () => tamperedCaller({ orderId: 'o-2', amount: 10 }))
    return steps
  } finally {
    await server.close()
  }
}
