import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'

const here = dirname(fileURLToPath(import.meta.url))
const packageDir = join(here, '..')
// esbuild is what tsup builds the package with: the same bundle, made in memory from src/index.ts.
interface EsbuildLike {
  build(options: Record<string, unknown>): Promise<{ outputFiles: { text: string }[] }>
}
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsup'))('esbuild') as EsbuildLike

let bundle: string
let sandbox: string

beforeAll(async () => {
  const result = await esbuild.build({
    entryPoints: [join(packageDir, 'src/index.ts')],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    packages: 'external',
    write: false,
  })
  bundle = result.outputFiles[0]!.text
  // A directory where @lift/security-core resolves but no AWS SDK and no dynamodb-toolbox exist.
  sandbox = mkdtempSync(join(tmpdir(), 'lift-rate-limit-'))
  mkdirSync(join(sandbox, 'node_modules', '@lift'), { recursive: true })
  symlinkSync(
    join(packageDir, '..', 'security-core'),
    join(sandbox, 'node_modules', '@lift', 'security-core'),
    'dir',
  )
  writeFileSync(join(sandbox, 'index.mjs'), bundle)
})

afterAll(() => {
  rmSync(sandbox, { recursive: true, force: true })
})

describe('optional peers stay optional', () => {
  it('the root entry has no static import of dynamodb-toolbox or the AWS SDK, only a dynamic one of lib-dynamodb', () => {
    const staticImports = [...bundle.matchAll(/^import\s[^;]*?from\s*"([^"]+)"/gm)].map((m) => m[1])
    expect(
      staticImports.filter((name) => /^(@aws-sdk|dynamodb-toolbox|ioredis|iovalkey)/.test(name!)),
    ).toEqual([])
    expect(bundle).not.toMatch(/["'`]dynamodb-toolbox/)
    // valkeyStore takes the caller's client: no Valkey/Redis driver is ever imported by Lift.
    expect(bundle).not.toMatch(/["'`](ioredis|iovalkey)/)
    expect(bundle).toContain('import("@aws-sdk/lib-dynamodb")')
  })

  it('importing it and running the memory store works where the AWS SDK is not installed; dynamoStore reports it on first use', async () => {
    const script = `
      const lift = await import('./index.mjs')
      const handler = lift.rateLimit({ limits: [{ name: 'm', limit: 1, windowSec: 60, algorithm: 'fixed-window' }], key: 'ip', store: lift.memoryStore() })
      const store = lift.dynamoStore({ tableName: 'limits', documentClient: { send: async () => ({}) } })
      lift.valkeyStore({ client: { evalsha: async () => [1, []], eval: async () => [1, []] } })
      const outcome = await Promise.resolve(store.consume({ key: 'k', rules: [], cost: 1, now: Date.now(), signal: new AbortController().signal })).then(() => 'resolved', (e) => e.code)
      console.log(JSON.stringify({ middleware: typeof handler.before, outcome }))
    `
    const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script], {
      cwd: sandbox,
    })
    expect(JSON.parse(stdout)).toEqual({ middleware: 'function', outcome: 'ERR_MODULE_NOT_FOUND' })
  })
})
