// The packages as they will be published (pnpm pack tarballs), on the Node.js running the suite (CI runs it on
// 22 and 24):
// - cherry-picking: every package installs alone into an empty project (only @middy/core, for every major the
//   peer range declares, and the packed @lift/security-core beside it) and a minimal handler using it runs
//   (ESM and CommonJS). The installed tree holds no sibling Lift middleware and nothing the package does not
//   need: AWS SDK clients, dynamodb-toolbox, OpenTelemetry and the X-Ray SDK stay optional peers;
// - a consumer project (the root README's "Using a package before it is published" steps, with the same pack
//   command): every tarball and public dependencies only, the quickstart handler as an ES module and as
//   CommonJS;
// - every tarball carries the LICENSE.
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
const middyMajors = declaredMajors(manifest('security-core').peerDependencies!['@middy/core']!)
const consumerDir = join(checksDir, 'test', 'consumer')

/** The majors of a peer range written as `^N || ^M` (the only form allowed: a range must name what is tested). */
function declaredMajors(range: string): number[] {
  return range.split('||').map((part) => {
    const match = /^\s*\^(\d+)\s*$/.exec(part)
    if (!match) throw new Error(`peer range "${range}" is not ^N || ^M: declare exactly the tested majors`)
    return Number(match[1])
  })
}

function manifest(name: string): {
  engines?: { node?: string }
  files?: string[]
  peerDependencies?: Record<string, string>
} {
  return JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'))
}

/**
 * How this machine reaches the registry (its config files, CA bundle, proxy, cache). Kept when an outer
 * `npx -p node@22` passes them down: without them npm run by the npx-fetched Node.js looks for its global
 * config beside that Node.js, loses the machine's `cafile` and fails behind a TLS-inspecting proxy.
 */
const REGISTRY_SETTINGS =
  /^npm_config_(userconfig|globalconfig|cafile|ca|cert|key|registry|proxy|https_proxy|noproxy|strict_ssl|cache)$/i

/** npm in a clean environment: the other npm_* variables of an outer `npx -c` (npm_config_package…) must not leak in. */
function cleanNpmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || REGISTRY_SETTINGS.test(key)),
  )
}

function npm(args: string[], cwd: string): void {
  execFileSync('npm', args, { cwd, env: cleanNpmEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

function npmInstall(project: string, packageName: string, specs: string[]): void {
  mkdirSync(project, { recursive: true })
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: packageName, private: true, type: 'module' }),
  )
  // A stalled registry request fails after 30 s and is retried, instead of npm's 5-minute default.
  const network = ['--fetch-timeout=30000', '--fetch-retries=4', '--fetch-retry-maxtimeout=10000']
  npm(
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...network, ...specs],
    project,
  )
}

function runNode(project: string, args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: project, encoding: 'utf8' }).trim().split('\n').at(-1)!
}

/** The root README's pack command: `pnpm --filter "./packages/*" pack --pack-destination "$PWD/tarballs"`. */
const PACK = ['--filter', './packages/*', 'pack', '--pack-destination']

beforeAll(() => {
  rmSync(workDir, { recursive: true, force: true })
  const destination = join(workDir, 'tarballs')
  mkdirSync(destination, { recursive: true })
  execFileSync('pnpm', [...PACK, destination], { cwd: root, encoding: 'utf8', stdio: 'pipe' })
  for (const name of [...packages, 'testing']) {
    const { version } = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'))
    const tarball = join(destination, `lift-${name}-${version}.tgz`)
    if (!existsSync(tarball)) throw new Error(`${PACK.join(' ')} made no ${tarball}`)
    tarballs.set(name, tarball)
  }
})

afterAll(() => rmSync(workDir, { recursive: true, force: true }))

describe('cherry-picking one package', () => {
  it('packs with the command the root README gives', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8')
    expect(readme).toContain(
      `pnpm ${PACK.map((arg) => (arg.includes('*') ? `"${arg}"` : arg)).join(' ')} "$PWD/tarballs"`,
    )
    expect(readme).toContain(
      `@middy/core@^${middyMajors.at(-1)} @middy/http-error-handler@^${middyMajors.at(-1)}`,
    )
  })

  it('covers every published package with a smoke script', () => {
    expect(packages).toEqual(expect.arrayContaining(['security-core', 'auth-jwt', 'request-signing']))
    for (const name of packages) expect(existsSync(join(smokeDir, `${name}.mjs`))).toBe(true)
  })

  it('declares Node.js >= 22 and @middy peers as exactly the tested majors', () => {
    for (const name of packages) {
      expect({ name, node: manifest(name).engines?.node }).toEqual({ name, node: '>=22' })
      const middyPeers = Object.entries(manifest(name).peerDependencies ?? {}).filter(([dep]) =>
        dep.startsWith('@middy/'),
      )
      for (const [, range] of middyPeers) expect(declaredMajors(range)).toEqual(middyMajors)
    }
    expect(middyMajors).toEqual([7])
  })

  it.each([...packages, 'testing'])(
    '@lift/%s names its home, bug tracker and directory, publishes with provenance',
    (name) => {
      const pkg = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8'))
      expect(pkg).toMatchObject({
        homepage: `https://github.com/lift-dev/lift/tree/main/packages/${name}#readme`,
        bugs: { url: 'https://github.com/lift-dev/lift/issues' },
        repository: {
          type: 'git',
          url: 'git+https://github.com/lift-dev/lift.git',
          directory: `packages/${name}`,
        },
        publishConfig: { access: 'public', provenance: true },
        license: 'MIT',
      })
      expect(pkg.files).toContain('LICENSE')
    },
  )

  it.each(packages.flatMap((name) => middyMajors.map((major) => [name, major] as const)))(
    '@lift/%s installs alone with @middy/core %i and runs',
    (name, major) => {
      const project = join(workDir, `${name}-middy${major}`)
      const installs = new Set([tarballs.get('security-core')!, tarballs.get(name)!])
      npmInstall(project, `cherry-pick-${name}`, [...installs, `@middy/core@^${major}`])
      cpSync(join(smokeDir, 'http-event.mjs'), join(project, 'http-event.mjs'))
      cpSync(join(smokeDir, `${name}.mjs`), join(project, 'smoke.mjs'))
      expect(runNode(project, ['smoke.mjs'])).toBe('ok')
      const middy = JSON.parse(readFileSync(join(project, 'node_modules/@middy/core/package.json'), 'utf8'))
      expect(Number(middy.version.split('.')[0])).toBe(major)

      const installed = installedPackages(join(project, 'node_modules'))
      const allowed = [new RegExp(`^@lift/(${name}|security-core)$`), ...(ALLOWED_HEAVY[name] ?? [])]
      const unexpected = installed.filter(
        (pkg) => HEAVY.some((pattern) => pattern.test(pkg)) && !allowed.some((pattern) => pattern.test(pkg)),
      )
      expect(unexpected).toEqual([])
      expect(installed).toContain(`@lift/${name}`)
    },
  )
})

describe('a consumer project with every packed package and public dependencies only', () => {
  const project = join(workDir, 'consumer')
  beforeAll(() => {
    npmInstall(project, 'lift-consumer', [
      ...packages.map((name) => tarballs.get(name)!),
      `@middy/core@^${middyMajors.at(-1)}`,
      `@middy/http-error-handler@^${middyMajors.at(-1)}`,
    ])
    cpSync(join(smokeDir, 'http-event.mjs'), join(project, 'http-event.mjs'))
    for (const file of readdirSync(consumerDir)) cpSync(join(consumerDir, file), join(project, file))
  })

  it('runs the quickstart handler as an ES module', () => {
    expect(runNode(project, ['run.mjs', 'handler.mjs'])).toBe('ok')
  })

  it('runs it as CommonJS: Lift with require(), Middy (ESM-only) with import()', () => {
    expect(runNode(project, ['run.mjs', 'handler.cjs'])).toBe('ok')
  })
})

describe('the tarballs', () => {
  it.each(packages)('@lift/%s carries the LICENSE (pnpm pack and npm pack)', (name) => {
    expect(manifest(name).files).toContain('LICENSE')
    const listed = execFileSync('tar', ['-tzf', tarballs.get(name)!], { encoding: 'utf8' }).split('\n')
    expect(listed).toContain('package/LICENSE')
    const [npmPack] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: join(root, 'packages', name),
        env: cleanNpmEnv(),
        encoding: 'utf8',
      }),
    ) as [{ files: { path: string }[] }]
    expect(npmPack.files.map((file) => file.path)).toContain('LICENSE')
    expect(readFileSync(join(root, 'packages', name, 'LICENSE'), 'utf8')).toBe(
      readFileSync(join(root, 'LICENSE'), 'utf8'),
    )
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
