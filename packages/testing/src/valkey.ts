import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { delimiter, join } from 'node:path'

/**
 * Options of {@link startValkey}; unknown keys are errors.
 *
 * @example
 * ```ts
 * import { startValkey } from '@lift/testing'
 *
 * const valkey = await startValkey({ binary: 'redis-server', startTimeoutMs: 5_000 })
 * ```
 */
export interface StartValkeyOptions {
  /** The server binary: a path or a name on PATH. Default: `valkey-server`, else `redis-server`. */
  binary?: string
  /** Longest wait for the server to answer PING, in milliseconds. Default 10 000. */
  startTimeoutMs?: number
}

/**
 * A running server from {@link startValkey}.
 *
 * @example
 * ```ts
 * import { type LocalValkey, startValkey } from '@lift/testing'
 *
 * const valkey: LocalValkey = await startValkey()
 * console.log(valkey.url) // redis://127.0.0.1:<port>
 * await valkey.stop()
 * ```
 */
export interface LocalValkey {
  readonly host: '127.0.0.1'
  readonly port: number
  /** `redis://127.0.0.1:<port>`: give it to ioredis / iovalkey. */
  readonly url: string
  /** The binary that runs (valkey-server or redis-server). */
  readonly binary: string
  /** Kills the server and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>
}

const BINARIES = ['valkey-server', 'redis-server']
const OPTION_NAMES: ReadonlySet<string> = new Set(['binary', 'startTimeoutMs'])

/**
 * A real Valkey (or Redis) server on 127.0.0.1 and a free port, in memory only (no RDB, no AOF), for
 * tests. Install it with `apt-get install valkey-server` (or `redis-server`). It rejects, rather than
 * letting a test skip, when no binary is found.
 *
 * @example
 * ```ts
 * import { startValkey } from '@lift/testing'
 *
 * const valkey = await startValkey()
 * // new Redis(valkey.url) …
 * await valkey.stop()
 * ```
 */
export async function startValkey(options: StartValkeyOptions = {}): Promise<LocalValkey> {
  for (const name of Object.keys(options))
    if (!OPTION_NAMES.has(name)) throw new TypeError(`startValkey: unknown option "${name}"`)
  const binary = options.binary ?? BINARIES.find(onPath)
  if (binary === undefined)
    throw new Error(
      'startValkey: neither valkey-server nor redis-server is installed (apt-get install valkey-server, or redis-server)',
    )
  const timeoutMs = options.startTimeoutMs ?? 10_000
  const port = await freePort()
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  let failure: string | undefined
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code) => {
      failure = `exited with code ${code}`
      resolve()
    })
    // Not runnable (ENOENT, EACCES): no exit event follows.
    child.once('error', (error) => {
      failure = error.message
      resolve()
    })
  })
  const stop = async (): Promise<void> => {
    if (failure === undefined) child.kill('SIGKILL')
    await exited
  }
  try {
    await untilPong(port, () => failure, timeoutMs)
  } catch (error) {
    await stop()
    throw new Error(`startValkey: ${binary} did not start: ${(error as Error).message} ${stderr}`.trim())
  }
  return { host: '127.0.0.1', port, url: `redis://127.0.0.1:${port}`, binary, stop }
}

function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    try {
      accessSync(join(dir, name), constants.X_OK)
      return true
    } catch {
      // not in this directory
    }
  }
  return false
}

/** A port the OS just handed out (the server binds it right after; `--port 0` is not supported). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function untilPong(port: number, failure: () => string | undefined, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const failed = failure()
    if (failed !== undefined) throw new Error(failed)
    if (await ping(port)) return
    if (Date.now() > deadline) throw new Error(`no PONG within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** One inline PING over RESP: true once the server answers +PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    let answer = ''
    const done = (ok: boolean) => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(1_000, () => done(false))
    socket.once('error', () => done(false))
    socket.once('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      answer += chunk.toString()
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'))
    })
  })
}
