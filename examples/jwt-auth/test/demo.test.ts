import { EventEmitter } from 'node:events'
import { createServer, type Server } from 'node:net'
import { describe, expect, it } from '@jest/globals'
import {
  curlCommand,
  demoRequests,
  demoUsers,
  runDemo,
  serviceDemoRequest,
  signedCurlCommand,
} from '../src/demo'

/** The parts of a printed `curl -i '<url>' -H '<name>: <value>'… --data '<body>'` command. */
function parseCurl(command: string) {
  const match = /^curl -i '([^']+)'((?: -H '[^']+')+) --data '([^']*)'$/.exec(command.trim())
  if (!match) throw new Error(`not a signed curl command: ${command}`)
  const headers = Object.fromEntries(
    [...match[2]!.matchAll(/-H '([^:]+): ([^']*)'/g)].map(([, name, value]) => [name!, value!]),
  )
  return { url: match[1]!, headers, body: match[3]! }
}

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
      const signedIndex = demo.printed.findIndex((line) => line.includes(serviceDemoRequest.path))
      expect(demo.printed[signedIndex - 1]).toBe(`  # 200 ${serviceDemoRequest.title}`)
      expect(demo.printed[signedIndex + 1]).toMatch(/# 401 .*--data/)
      const signed = parseCurl(demo.printed[signedIndex]!)
      expect(signed.url).toBe(`${url}${serviceDemoRequest.path}`)
      expect(Object.keys(signed.headers)).toEqual([
        'content-type',
        'Signature-Input',
        'Signature',
        'Content-Digest',
      ])
      expect(signed.headers['Signature-Input']).not.toMatch(/nonce|expires/)
      const send = (body: string) =>
        fetch(signed.url, {
          method: 'POST',
          headers: signed.headers,
          body,
          signal: AbortSignal.timeout(5_000),
        })
      const first = await send(signed.body)
      expect(first.status).toBe(serviceDemoRequest.expectedStatus)
      expect(await first.json()).toEqual({
        caller: serviceDemoRequest.keyId,
        receivedBytes: signed.body.length,
      })
      expect((await send(signed.body)).status).toBe(200) // pasted twice: no nonce, still valid
      expect((await send(signed.body.replace('csv', 'pdf'))).status).toBe(401)
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

  it('signs the service command with the key and the clock it is given', () => {
    const key = Buffer.alloc(32, 3)
    const at = () => 1_750_000_000_000
    const command = signedCurlCommand('http://127.0.0.1:3000', key, at)
    expect(command).toBe(signedCurlCommand('http://127.0.0.1:3000', key, at))
    expect(parseCurl(command).headers['Signature-Input']).toBe(
      'sig1=("@method" "@target-uri" "content-digest");created=1750000000;keyid="reports-service"',
    )
    expect(command).not.toBe(signedCurlCommand('http://127.0.0.1:3000', Buffer.alloc(32, 4), at))
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
