import { serveLocal } from '@lift/testing'
import type { LogLine } from './error-log'
import { createHandler } from './handler'

/** A request the demo prints as a ready-to-paste curl command. */
export interface DemoRequest {
  readonly title: string
  readonly expectedStatus: number
  readonly method: string
  readonly path: string
  readonly contentType?: string
  readonly body?: string
}

export const demoRequests: readonly DemoRequest[] = Object.freeze([
  { title: 'greeting', expectedStatus: 200, method: 'GET', path: '/hello?name=Ada' },
  { title: 'request info', expectedStatus: 200, method: 'GET', path: '/whoami' },
  {
    title: 'echo',
    expectedStatus: 201,
    method: 'POST',
    path: '/echo',
    contentType: 'application/json',
    body: '{"message":"hi"}',
  },
  {
    title: 'invalid name: problem+json',
    expectedStatus: 400,
    method: 'GET',
    path: '/hello?name=%3Cscript%3E',
  },
  {
    title: 'malformed JSON: problem+json',
    expectedStatus: 400,
    method: 'POST',
    path: '/echo',
    contentType: 'application/json',
    body: '{"message":',
  },
  {
    title: 'wrong content type: problem+json',
    expectedStatus: 415,
    method: 'POST',
    path: '/echo',
    contentType: 'text/plain',
    body: 'hi',
  },
  {
    title: 'wrong method: problem+json and an Allow header',
    expectedStatus: 405,
    method: 'DELETE',
    path: '/hello',
  },
  { title: 'unknown path: problem+json', expectedStatus: 404, method: 'GET', path: '/nope' },
])

export interface SignalSource {
  once(signal: 'SIGINT' | 'SIGTERM', listener: () => void): unknown
}

export interface DemoOptions {
  port: number
  /** Where the URL and the commands go (serve.ts: console.log). */
  print: (line: string) => void
  /** Where a start-up problem goes (serve.ts: console.error). */
  printError: (line: string) => void
  /** What stops the demo (serve.ts: the process). */
  signals: SignalSource
  exit: (code: number) => void
  /** Where the handler's one-line error summaries go (default: console.error). */
  logLine?: LogLine
}

/**
 * Serves the handler on 127.0.0.1, prints the URL and a curl command per route, and stops on
 * SIGINT/SIGTERM (server closed, exit 0). A port in use is reported with a hint, exit 1 (no fallback:
 * the printed commands must point at the port the user asked for).
 */
export async function runDemo(options: DemoOptions): Promise<void> {
  const { print, printError, exit, signals } = options

  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65_535) {
    printError(`PORT must be a whole number from 0 to 65535 (0 picks a free port), e.g.: PORT=3001 pnpm demo`)
    exit(1)
    return
  }

  let server: Awaited<ReturnType<typeof serveLocal>>
  try {
    server = await serveLocal(createHandler({ logLine: options.logLine }), { port: options.port })
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EADDRINUSE') throw error
    printError(
      `Port ${options.port} is already in use. Pick another one, e.g.: PORT=${options.port + 1} pnpm demo`,
    )
    exit(1)
    return
  }

  print(`Lift hello-world is listening on ${server.url}`)
  print('')
  for (const request of demoRequests) {
    print(`  # ${request.expectedStatus} ${request.title}`)
    print(`  ${curlCommand(server.url, request)}`)
  }
  print('')
  print('Press Ctrl+C to stop.')

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await server.close()
    print('Stopped.')
    exit(0)
  }
  signals.once('SIGINT', stop)
  signals.once('SIGTERM', stop)
}

/** The request as a curl command line (POSIX shell quoting). */
export function curlCommand(baseUrl: string, request: DemoRequest): string {
  const parts = ['curl', '-i']
  if (request.method !== 'GET') parts.push('-X', request.method)
  parts.push(shellQuote(new URL(request.path, baseUrl).href))
  if (request.contentType) parts.push('-H', shellQuote(`Content-Type: ${request.contentType}`))
  if (request.body !== undefined) parts.push('--data-raw', shellQuote(request.body))
  return parts.join(' ')
}

function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`
}
