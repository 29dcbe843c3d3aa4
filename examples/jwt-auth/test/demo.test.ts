import { EventEmitter } from 'node:events'
import { createServer, type Server } from 'node:net'
import { describe, expect, it } from '@jest/globals'
import { curlCommand, demoRequests, demoUsers, runDemo } from '../src/demo'

function demoHarness() {
  const printed: string[] = []
  const errors: string[] = []
  const signals = new EventEmitter()
  let resolveExit: (code: number) => void = () => {}
  const exited = new Promise<number>((resolve) => {
    resolveExit = resolve
  })
  const options = {
    print: (line: string) => printed.push(line),
    printError: (line: string) => errors.push(line),
    signals: signals as unknown as NodeJS.Process,
    exit: (code: number) => resolveExit(code),
  }
  return { printed, errors, signals, exited, options }
}

describe('runDemo()', () => {
  it('prints a token per user (two tenants, two roles) and a curl command per request, each answering as announced', async () => {
    const demo = demoHarness()
    await runDemo({ port: 0, ...demo.options })
    const output = demo.printed.join('\n')
    const url = /listening on (http:\/\/\S+)/.exec(output)?.[1]
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const tokens = Object.fromEntries(
      [...output.matchAll(/export (\w+)_TOKEN='([^']+)'/g)].map(([, name, token]) => [
        name!.toLowerCase(),
        token!,
      ]),
    )
    expect(Object.keys(tokens).sort()).toEqual([...demoUsers.map((user) => user.name), 'tampered'].sort())
    expect(new Set(demoUsers.map((user) => user.tenant)).size).toBe(2)
    expect(new Set(demoUsers.map((user) => user.role)).size).toBe(2)
    try {
      for (const request of demoRequests) {
        expect(demo.printed).toContain(`  ${curlCommand(url!, request)}`)
        const response = await fetch(new URL(request.path, url), {
          headers: request.as ? { authorization: `Bearer ${tokens[request.as]}` } : {},
          signal: AbortSignal.timeout(5_000),
        })
        expect([request.title, response.status]).toEqual([request.title, request.expectedStatus])
      }
    } finally {
      demo.signals.emit('SIGTERM')
    }
    expect(await demo.exited).toBe(0)
    expect(demo.printed.at(-1)).toBe('Stopped.')
  })

  it('refuses an invalid port and reports a port in use, exit 1', async () => {
    const invalid = demoHarness()
    await runDemo({ port: 70_000, ...invalid.options })
    expect(await invalid.exited).toBe(1)
    expect(invalid.errors[0]).toMatch(/PORT must be/)

    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const busy = demoHarness()
      await runDemo({ port, ...busy.options })
      expect(await busy.exited).toBe(1)
      expect(busy.errors[0]).toContain(`Port ${port} is already in use`)
    } finally {
      await new Promise((resolve) => blocker.close(resolve))
    }
  })
})
