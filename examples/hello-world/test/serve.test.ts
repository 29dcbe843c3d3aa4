import { type ChildProcess, spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from '@jest/globals'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const tsx = join(root, 'node_modules', '.bin', 'tsx')

let child: ChildProcess | undefined

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
})

/** Resolves with everything the stream printed once the text matches the pattern. */
function waitFor(stream: NodeJS.ReadableStream, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output: ${seen}`)),
      timeoutMs,
    )
    stream.on('data', (chunk: Buffer) => {
      seen += chunk.toString()
      if (pattern.test(seen)) {
        clearTimeout(timer)
        resolve(seen)
      }
    })
  })
}

function exitCode(process: ChildProcess, timeoutMs: number): Promise<number | string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no exit within ${timeoutMs} ms`)), timeoutMs)
    process.once('exit', (code, signal) => {
      clearTimeout(timer)
      resolve(code ?? String(signal))
    })
  })
}

describe('src/serve.ts (pnpm demo)', () => {
  it('serves on a free port, answers a printed curl command, and exits 0 on SIGINT', async () => {
    const { NODE_OPTIONS: _omit, ...env } = process.env
    child = spawn(tsx, ['src/serve.ts'], {
      cwd: root,
      env: { ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = exitCode(child, 30_000)

    const output = await waitFor(child.stdout!, /Press Ctrl\+C to stop/, 20_000)
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
    expect(url).toBeDefined()
    // The printed command for the greeting, run as fetch: its URL must point at the server that printed it.
    const greeting = /curl -i '(http:\/\/[^']*\/hello\?name=Ada)'/.exec(output)?.[1]
    expect(greeting?.startsWith(`${url}/`)).toBe(true)
    const response = await fetch(greeting!, { signal: AbortSignal.timeout(5_000) })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ message: 'Hello, Ada!' })

    child.kill('SIGINT')
    expect(await exited).toBe(0)
  }, 40_000)
})
