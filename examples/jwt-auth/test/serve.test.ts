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

describe('src/serve.ts (pnpm demo)', () => {
  it('serves on a free port, answers with a printed token, and exits 0 on SIGINT', async () => {
    const { NODE_OPTIONS: _omit, ...env } = process.env
    child = spawn(tsx, ['src/serve.ts'], {
      cwd: root,
      env: { ...env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)))
    const output = await waitFor(child.stdout!, /Press Ctrl\+C to stop/, 20_000)
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
    const token = /export ALICE_TOKEN='([^']+)'/.exec(output)?.[1]
    const response = await fetch(`${url}/admin/stats`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(5_000),
    })
    expect(response.status).toBe(200)
    child.kill('SIGINT')
    expect(await exited).toBe(0)
  }, 30_000)
})
