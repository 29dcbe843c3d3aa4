import { EventEmitter } from 'node:events'
import { createServer, type Server } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { curlCommand, demoRequests, runDemo } from '../src/demo'

function demoHarness() {
  const printed: string[] = []
  const errors: string[] = []
  const logLines: string[] = []
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
    logLine: (line: string) => logLines.push(line),
  }
  return { printed, errors, logLines, signals, exited, options }
}

const listeningUrl = (printed: readonly string[]) =>
  /listening on (http:\/\/\S+)/.exec(printed.join('\n'))?.[1]

describe('runDemo()', () => {
  it('prints the URL and a curl command per demo request; each answers with the status it announces', async () => {
    const demo = demoHarness()
    await runDemo({ port: 0, ...demo.options })
    const url = listeningUrl(demo.printed)
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/)
    try {
      for (const example of demoRequests) {
        expect(demo.printed).toContain(`  ${curlCommand(url!, example)}`)
        const response = await fetch(new URL(example.path, url), {
          method: example.method,
          headers: example.contentType ? { 'content-type': example.contentType } : {},
          body: example.body,
          signal: AbortSignal.timeout(5_000),
        })
        expect([example.title, response.status]).toEqual([example.title, example.expectedStatus])
        const expectedType = example.expectedStatus >= 400 ? 'application/problem+json' : 'application/json'
        expect(response.headers.get('content-type')).toBe(expectedType)
      }
      expect(demoRequests.some((example) => example.expectedStatus >= 400)).toBe(true)
      expect(demo.logLines).toHaveLength(
        demoRequests.filter((example) => example.expectedStatus >= 400).length,
      )
    } finally {
      demo.signals.emit('SIGTERM')
    }
    expect(await demo.exited).toBe(0)
  })

  it('stops on SIGINT: closes the server, exits 0, and ignores a second signal', async () => {
    const demo = demoHarness()
    await runDemo({ port: 0, ...demo.options })
    const url = listeningUrl(demo.printed)!
    demo.signals.emit('SIGINT')
    demo.signals.emit('SIGTERM')
    expect(await demo.exited).toBe(0)
    expect(demo.printed.at(-1)).toBe('Stopped.')
    await expect(fetch(new URL('/hello', url), { signal: AbortSignal.timeout(2_000) })).rejects.toThrow()
  })

  it('rejects a PORT that is not a port number, with a hint, exit 1', async () => {
    for (const port of [Number.NaN, -1, 70_000, 1.5]) {
      const demo = demoHarness()
      await runDemo({ port, ...demo.options })
      expect(await demo.exited).toBe(1)
      expect(demo.errors.join('\n')).toMatch(/PORT must be a whole number/)
    }
  })

  describe('when the port is taken', () => {
    let blocker: Server
    let takenPort: number

    beforeAll(async () => {
      blocker = createServer()
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
      takenPort = (blocker.address() as { port: number }).port
    })

    afterAll(async () => {
      await new Promise((resolve) => blocker.close(resolve))
    })

    it('says so, suggests another PORT=..., and exits 1', async () => {
      const demo = demoHarness()
      await runDemo({ port: takenPort, ...demo.options })
      expect(await demo.exited).toBe(1)
      expect(demo.errors.join('\n')).toContain(`Port ${takenPort} is already in use`)
      expect(demo.errors.join('\n')).toContain(`PORT=${takenPort + 1} pnpm demo`)
      expect(demo.printed).toEqual([])
    })
  })
})

describe('curlCommand()', () => {
  it('quotes for a POSIX shell, single quotes included', () => {
    const command = curlCommand('http://127.0.0.1:3000', {
      title: 'quote',
      expectedStatus: 201,
      method: 'POST',
      path: '/echo',
      contentType: 'application/json',
      body: `{"message":"it's"}`,
    })
    expect(command).toBe(
      `curl -i -X POST 'http://127.0.0.1:3000/echo' -H 'Content-Type: application/json' --data-raw '{"message":"it'\\''s"}'`,
    )
  })

  it('leaves out -X for GET', () => {
    expect(
      curlCommand('http://127.0.0.1:3000/', {
        title: 't',
        expectedStatus: 200,
        method: 'GET',
        path: '/whoami',
      }),
    ).toBe(`curl -i 'http://127.0.0.1:3000/whoami'`)
  })
})
