// Cold-start cost of every built package (packages/*/dist, @lift/testing excepted): what `import()` adds to
// a fresh Node process, and the size of the esbuild-minified ESM bundle of the package's entry with its
// dependencies. Writes results/cold-start.json. run.ts runs it on its own, in a child process.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { resultsDir } from './harness'
import { type Machine, machine } from './machine'
import { median } from './stats'

export interface PackageColdStart {
  package: string
  version: string
  /**
   * Median over fresh processes of the time `await import(pkg)` takes, timed inside the process after an
   * empty module has been imported (so the ESM loader's own start-up is not counted).
   */
  importMs: number
  /** Min and max over the runs of the in-process import time. */
  importRangeMs?: { min: number; max: number }
  /** Min, median and max wall time of `node -e "await import(pkg)"` (empty process not subtracted). */
  wallMs?: { min: number; median: number; max: number }
  /**
   * Min, median and max in-process import time of the entry's esbuild bundle (the file a function built by
   * SAM or CDK with esbuild loads), timed like importMs.
   */
  bundleImportMs?: { min: number; median: number; max: number }
  /** The Lift package this row is a peer or a handler of; absent for a Lift package row. */
  relatesTo?: string
  /** Median wall time of `node -e "await import(pkg)"` minus the median of an empty `node -e ""`. */
  wallDeltaMs: number
  bundleBytes: number
  gzipBytes: number
  /** Node built-in modules the bundle imports (loading them is part of importMs). */
  builtins: string[]
  external: string[]
}

export interface ColdStartResult extends Machine {
  name: 'cold-start'
  description: string
  date: string
  runs: number
  /** Median wall time of an empty `node -e ""`. */
  emptyProcessMs: number
  packages: PackageColdStart[]
}

const RUNS = 15
const SKIPPED = new Set(['@lift/testing'])
// Lambda's Node.js runtimes ship the AWS SDK v3, so functions do not bundle it.
const ALWAYS_EXTERNAL = ['@aws-sdk/*']
const TIMED_IMPORT_MARK = 'lift-import-ms='
const REQUIRE_BANNER =
  "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);\n"

const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const packagesDir = join(benchDir, '..', 'packages')

export interface ColdStartOptions {
  /** Only the rows whose name passes (bench:check measures the auth-jwt handlers and their peers). */
  readonly only?: (name: string) => boolean
  readonly runs?: number
}

export async function measureColdStart(options: ColdStartOptions = {}): Promise<ColdStartResult> {
  const packages = builtPackages().filter((entry) => options.only?.(entry.name) ?? true)
  const runs = options.runs ?? RUNS
  // Inside bench/, so that a bundle's external imports (@aws-sdk/*, @middy/core) resolve as in a function.
  const scratch = mkdtempSync(join(benchDir, '.cold-start-'))
  const emptyModule = join(scratch, 'empty.mjs')
  writeFileSync(emptyModule, '')
  const emptyProcess: number[] = []
  const timings = new Map(
    packages.map((entry) => [
      entry.name,
      { inProcess: [] as number[], wall: [] as number[], bundled: [] as number[] },
    ]),
  )
  const results: PackageColdStart[] = []
  try {
    const bundles = new Map<string, Bundled>()
    for (const [index, entry] of packages.entries()) {
      const bundled = await bundle(entry)
      const file = join(scratch, `bundle-${index}.mjs`)
      // The banner of esbuild's ESM output for CommonJS dependencies (fast-jwt…), as SAM and CDK users add it.
      writeFileSync(file, Buffer.concat([Buffer.from(REQUIRE_BANNER), bundled.code]))
      bundles.set(entry.name, { ...bundled, file })
    }
    // Interleaved, so a busy phase of the machine hits every package and the baseline alike.
    for (let run = 0; run < runs; run++) {
      emptyProcess.push(runNode('').wallMs)
      for (const entry of packages) {
        const timing = timings.get(entry.name)!
        const { wallMs, stdout } = runNode(timedImport(emptyModule, entry.entry))
        timing.wall.push(wallMs)
        timing.inProcess.push(importTime(stdout))
        timing.bundled.push(
          importTime(runNode(timedImport(emptyModule, bundles.get(entry.name)!.file)).stdout),
        )
      }
    }
    const emptyProcessMs = median(emptyProcess)
    for (const entry of packages) {
      const timing = timings.get(entry.name)!
      const { code: _code, file: _file, ...size } = bundles.get(entry.name)!
      results.push({
        package: entry.name,
        version: entry.version,
        importMs: median(timing.inProcess),
        importRangeMs: { min: Math.min(...timing.inProcess), max: Math.max(...timing.inProcess) },
        wallMs: { min: Math.min(...timing.wall), median: median(timing.wall), max: Math.max(...timing.wall) },
        bundleImportMs: {
          min: Math.min(...timing.bundled),
          median: median(timing.bundled),
          max: Math.max(...timing.bundled),
        },
        ...(entry.relatesTo ? { relatesTo: entry.relatesTo } : {}),
        wallDeltaMs: median(timing.wall) - emptyProcessMs,
        ...size,
      })
    }
    return {
      name: 'cold-start',
      description:
        'What importing each package adds to a fresh Node process, and its esbuild-minified ESM bundle size.',
      ...machine(),
      date: new Date().toISOString(),
      runs,
      emptyProcessMs,
      packages: results,
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

type Bundled = Awaited<ReturnType<typeof bundle>> & { file: string }

function importTime(stdout: string): number {
  return Number(stdout.slice(stdout.indexOf(TIMED_IMPORT_MARK) + TIMED_IMPORT_MARK.length))
}

interface BuiltPackage {
  name: string
  version: string
  entry: string
  external: string[]
  relatesTo?: string
}

const coldStartDir = join(dirname(fileURLToPath(import.meta.url)), 'cold-start')
const benchManifest = JSON.parse(
  readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8'),
) as { dependencies: Record<string, string> }

/**
 * What each Lift package is compared with: real Middy handlers (tree shaking applies, Middy bundled) and the
 * peer libraries a team would otherwise pick, each as `export { ... } from '<peer>'` of what a function uses.
 */
const RELATED: Record<
  string,
  readonly { name: string; file: string; peerPackage?: string; bundleMiddy?: boolean }[]
> = {
  '@lift/auth-jwt': [
    { name: 'handler: Middy + jwtAuth, one HMAC issuer', file: 'jwt-hmac-handler.mjs', bundleMiddy: true },
    { name: 'handler: Middy + jwtAuth, one JWKS issuer', file: 'jwt-jwks-handler.mjs', bundleMiddy: true },
    {
      name: 'peer handler: Middy + aws-jwt-verify (JWKS)',
      file: 'aws-jwt-verify-handler.mjs',
      peerPackage: 'aws-jwt-verify',
      bundleMiddy: true,
    },
    {
      name: 'peer handler: Middy + jose jwtVerify (JWKS)',
      file: 'jose-jwks-handler.mjs',
      peerPackage: 'jose',
      bundleMiddy: true,
    },
    {
      name: 'peer: aws-jwt-verify (JwtVerifier)',
      file: 'peer-aws-jwt-verify.mjs',
      peerPackage: 'aws-jwt-verify',
    },
    { name: 'peer: jose (jwtVerify, createRemoteJWKSet)', file: 'peer-jose.mjs', peerPackage: 'jose' },
    { name: 'peer: fast-jwt (createVerifier)', file: 'peer-fast-jwt.mjs', peerPackage: 'fast-jwt' },
  ],
  '@lift/observability': [
    {
      name: 'peer: Powertools logger + metrics + tracer (+ middlewares)',
      file: 'peer-powertools.mjs',
      peerPackage: '@aws-lambda-powertools/logger',
    },
  ],
  '@lift/rate-limit': [
    {
      name: 'peer: rate-limiter-flexible (Memory, Dynamo)',
      file: 'peer-rate-limiter-flexible.mjs',
      peerPackage: 'rate-limiter-flexible',
    },
  ],
  '@lift/request-signing': [
    {
      name: 'peer: http-message-signatures (httpbis, createVerifier)',
      file: 'peer-http-message-signatures.mjs',
      peerPackage: 'http-message-signatures',
    },
  ],
}

interface Manifest {
  name: string
  version: string
  module?: string
  exports?: { '.'?: { import?: { default?: string } } }
  peerDependencies?: Record<string, string>
}

function builtPackages(): BuiltPackage[] {
  const found: BuiltPackage[] = []
  for (const folder of readdirSync(packagesDir).sort()) {
    const manifestPath = join(packagesDir, folder, 'package.json')
    if (!existsSync(manifestPath)) continue
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest
    if (SKIPPED.has(manifest.name)) continue
    const entry = join(
      packagesDir,
      folder,
      manifest.exports?.['.']?.import?.default ?? manifest.module ?? 'dist/index.js',
    )
    if (!existsSync(entry)) {
      console.warn(`cold-start: skipping ${manifest.name}: ${entry} is not built (run the build first)`)
      continue
    }
    // Peer dependencies (@middy/core) are in the function's bundle anyway; the AWS SDK is in the runtime.
    const peers = Object.keys(manifest.peerDependencies ?? {}).filter((name) => !name.startsWith('@aws-sdk/'))
    found.push({
      name: manifest.name,
      version: manifest.version,
      entry,
      external: [...ALWAYS_EXTERNAL, ...peers],
    })
    for (const related of RELATED[manifest.name] ?? []) {
      found.push({
        name: related.name,
        version: related.peerPackage
          ? (benchManifest.dependencies[related.peerPackage] ?? '—')
          : manifest.version,
        entry: join(coldStartDir, related.file),
        external:
          related.bundleMiddy || !related.peerPackage ? ALWAYS_EXTERNAL : [...ALWAYS_EXTERNAL, '@middy/core'],
        relatesTo: manifest.name,
      })
    }
  }
  found.push({
    name: 'reference: @middy/core',
    version: benchManifest.dependencies['@middy/core'] ?? '—',
    entry: join(coldStartDir, 'peer-middy-core.mjs'),
    external: ALWAYS_EXTERNAL,
  })
  // The whole stack: every middleware and @middy/core in one bundle (only the AWS SDK left out).
  found.push({
    name: 'full stack (all middlewares + @middy/core)',
    version: '—',
    entry: fullStackEntry,
    external: ALWAYS_EXTERNAL,
  })
  return found
}

const fullStackEntry = join(dirname(fileURLToPath(import.meta.url)), 'full-stack.mjs')

function timedImport(emptyModule: string, file: string): string {
  const url = (path: string) => JSON.stringify(pathToFileURL(path).href)
  return (
    `await import(${url(emptyModule)}); const started = performance.now(); await import(${url(file)}); ` +
    `console.log(${JSON.stringify(TIMED_IMPORT_MARK)} + (performance.now() - started))`
  )
}

function runNode(source: string): { wallMs: number; stdout: string } {
  const started = process.hrtime.bigint()
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', source], { encoding: 'utf8' })
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6
  if (child.status !== 0)
    throw new Error(`cold-start: node -e ${JSON.stringify(source)} failed: ${child.stderr}`)
  return { wallMs, stdout: child.stdout }
}

async function bundle(
  entry: BuiltPackage,
): Promise<
  Pick<PackageColdStart, 'bundleBytes' | 'gzipBytes' | 'builtins' | 'external'> & { code: Uint8Array }
> {
  const output = await build({
    entryPoints: [entry.entry],
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    write: false,
    metafile: true,
    external: entry.external,
    logLevel: 'silent',
  })
  const code = output.outputFiles[0]!.contents
  const imported = Object.values(output.metafile.outputs).flatMap((file) =>
    file.imports.map((item) => item.path),
  )
  const builtins = [...new Set(imported.map((path) => path.replace(/^node:/, '')))]
    .filter((name) => builtinModules.includes(name))
    .sort()
  return {
    code,
    bundleBytes: code.byteLength,
    gzipBytes: gzipSync(code, { level: 9 }).byteLength,
    builtins,
    external: entry.external,
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await measureColdStart()
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(join(resultsDir, 'cold-start.json'), `${JSON.stringify(result, null, 2)}\n`)
  console.log(
    `\ncold-start (${result.node}, ${result.cpu}; empty process ${result.emptyProcessMs.toFixed(1)} ms)`,
  )
  for (const entry of result.packages) {
    console.log(
      `  ${entry.package.padEnd(28)} import ${entry.importMs.toFixed(1)} ms (wall +${entry.wallDeltaMs.toFixed(1)} ms)` +
        `  bundle ${entry.bundleBytes} B  gzip ${entry.gzipBytes} B  built-ins ${entry.builtins.join(', ')}`,
    )
  }
}
