// Cherry-picking: every package, packed as it would be published, installs alone into an empty project
// (only @middy/core and the packed @lift/security-core beside it) and a minimal handler using it runs under
// Node 20 and Node 22 (ESM and CommonJS). The installed tree holds no sibling Lift middleware and nothing the
// package does not need: AWS SDK clients, dynamodb-toolbox, OpenTelemetry and the X-Ray SDK stay optional peers.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'

const checksDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(checksDir, '..')
const workDir = join(checksDir, '.work', 'cherry-pick')
const smokeDir = join(checksDir, 'test', 'smoke')

/** Every published package (the test kit is a dev dependency, never deployed). */
const packages = readdirSync(join(root, 'packages'))
  .filter((name) => name !== 'testing' && existsSync(join(root, 'packages', name, 'package.json')))
  .sort()

/** What may be installed with a package besides itself, @lift/security-core and @middy/core's tree. */
const ALLOWED_HEAVY: Record<string, readonly RegExp[]> = {
  observability: [/^@aws-lambda-powertools\/(logger|metrics|commons)$/],
}
const HEAVY = [
  /^@lift\//,
  /^@aws-sdk\//,
  /^@smithy\//,
  /^dynamodb-toolbox$/,
  /^@opentelemetry\//,
  /^aws-xray-sdk/,
  /^@aws-lambda-powertools\//,
  /^(dynalite|fast-check|jest)$/,
]

const tarballs = new Map<string, string>()
let node22: string

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true })
  mkdirSync(join(workDir, 'tarballs'), { recursive: true })
  for (const name of packages) {
    const output = execFileSync('pnpm', ['pack', '--pack-destination', join(workDir, 'tarballs')], {
      cwd: join(root, 'packages', name),
      encoding: 'utf8',
    })
    tarballs.set(name, output.trim().split('\n').at(-1)!.trim())
  }
  node22 = execFileSync('npx', ['-y', '-p', 'node@22', '-c', 'node -p process.execPath'], {
    encoding: 'utf8',
  }).trim()
})

afterAll(() => rmSync(workDir, { recursive: true, force: true }))

describe('cherry-picking one package', () => {
  it('covers every published package with a smoke script', () => {
    expect(packages).toEqual(expect.arrayContaining(['security-core', 'auth-jwt', 'request-signing']))
    for (const name of packages) expect(existsSync(join(smokeDir, `${name}.mjs`))).toBe(true)
  })

  it.each(packages)('@lift/%s installs alone and runs on Node 20 and 22', (name) => {
    const project = join(workDir, name)
    mkdirSync(project, { recursive: true })
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: `cherry-pick-${name}`, private: true, type: 'module' }),
    )
    const installs = new Set([tarballs.get('security-core')!, tarballs.get(name)!])
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        ...installs,
        '@middy/core@^7',
      ],
      { cwd: project, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    )
    cpSync(join(smokeDir, 'http-event.mjs'), join(project, 'http-event.mjs'))
    cpSync(join(smokeDir, `${name}.mjs`), join(project, 'smoke.mjs'))

    for (const node of [process.execPath, node22]) {
      const output = execFileSync(node, ['smoke.mjs'], { cwd: project, encoding: 'utf8' })
      expect(output.trim().split('\n').at(-1)).toBe('ok')
    }

    const installed = installedPackages(join(project, 'node_modules'))
    const allowed = [new RegExp(`^@lift/(${name}|security-core)$`), ...(ALLOWED_HEAVY[name] ?? [])]
    const unexpected = installed.filter(
      (pkg) => HEAVY.some((pattern) => pattern.test(pkg)) && !allowed.some((pattern) => pattern.test(pkg)),
    )
    expect(unexpected).toEqual([])
    expect(installed).toContain(`@lift/${name}`)
  })
})

/** Names of every package under node_modules, nested ones included. */
function installedPackages(dir: string): string[] {
  if (!existsSync(dir)) return []
  const names: string[] = []
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue
    const scoped = entry.name.startsWith('@')
    const dirs = scoped
      ? readdirSync(join(dir, entry.name)).map((child) => join(entry.name, child))
      : [entry.name]
    for (const name of dirs) {
      if (!existsSync(join(dir, name, 'package.json'))) continue
      names.push(JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8')).name)
      names.push(...installedPackages(join(dir, name, 'node_modules')))
    }
  }
  return names
}
