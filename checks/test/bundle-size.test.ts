// What a Lambda function using @lift/auth-jwt ships: Middy handlers with one HMAC, PEM or JWKS issuer bundled
// the way a function is deployed (esbuild, minified ESM, platform node, AWS SDK external), from the built
// packages (dist), with each package's share read from esbuild's metafile. Two ways to bundle: one file (what
// SAM and CDK do by default), and with code splitting (`splitting: true`), where the code auth-jwt loads
// with import() on first use (JWKS, Secrets Manager, issuer resolver) becomes chunks that a cold start only
// loads when a token needs them. `static` is what a cold start loads: the entry and its static imports.
import { builtinModules } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { build, type Metafile } from 'esbuild'

const checksDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const KB = 1024

const handler = (issuer: string) => `
import middy from '@middy/core'
import { jwtAuth } from '@lift/auth-jwt'
export const handler = middy()
  .use(jwtAuth({ issuers: [${issuer}] }))
  .handler(async (_event, context) => ({ statusCode: 200, body: context.principal.id }))
`
const HMAC = handler(
  "{ issuer: 'https://idp.example', audience: 'api', algorithms: ['HS256'], secret: process.env.JWT_SECRET }",
)
const JWKS = handler(
  "{ issuer: 'https://idp.example', audience: 'api', algorithms: ['RS256'], jwksUri: 'https://idp.example/jwks.json' }",
)
const PEM = handler(
  "{ issuer: 'https://idp.example', audience: 'api', algorithms: ['RS256'], publicKey: process.env.JWT_PUBLIC_KEY }",
)

interface Bundle {
  /** All output files. */
  bytes: number
  /** The Node built-in modules the output imports (`http`, `crypto`…). */
  builtins: string[]
  /** The entry chunk and the chunks it imports statically (with one file: the file). */
  staticBytes: number
  /** Output bytes per package (`@lift/security-core`, `jose`, ...) and `entry` for the handler itself. */
  shares: Record<string, number>
  /** The same, of the static part only. */
  staticShares: Record<string, number>
  /** The input files (dist chunks, dependency modules) in the static part. */
  staticInputs: string[]
}

async function bundle(contents: string, splitting = false): Promise<Bundle> {
  const result = await build({
    stdin: { contents, resolveDir: checksDir, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    write: false,
    splitting,
    outdir: join(checksDir, 'bundle-out'),
    metafile: true,
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  })
  const outputs = result.metafile.outputs
  const entry = Object.keys(outputs).find((path) => outputs[path]!.entryPoint === '<stdin>')!
  const loaded = new Set<string>()
  for (const queue = [entry]; queue.length > 0; ) {
    const path = queue.pop()!
    if (loaded.has(path)) continue
    loaded.add(path)
    for (const { path: imported, kind } of outputs[path]!.imports) {
      if (kind === 'import-statement' && outputs[imported] !== undefined) queue.push(imported)
    }
  }
  const all = Object.keys(outputs)
  const builtins = all.flatMap((path) =>
    outputs[path]!.imports.filter((item) => item.external).map((item) => item.path.replace(/^node:/, '')),
  )
  return {
    bytes: all.reduce((sum, path) => sum + outputs[path]!.bytes, 0),
    builtins: [...new Set(builtins)].filter((name) => builtinModules.includes(name)).sort(),
    staticBytes: [...loaded].reduce((sum, path) => sum + outputs[path]!.bytes, 0),
    shares: shares(result.metafile, all),
    staticShares: shares(result.metafile, [...loaded]),
    staticInputs: [...loaded].flatMap((path) => Object.keys(outputs[path]!.inputs)),
  }
}

function shares(metafile: Metafile, paths: readonly string[]): Record<string, number> {
  const byPackage: Record<string, number> = {}
  for (const output of paths) {
    for (const [path, input] of Object.entries(metafile.outputs[output]!.inputs)) {
      const name = packageOf(path)
      byPackage[name] = (byPackage[name] ?? 0) + input.bytesInOutput
    }
  }
  return byPackage
}

/** `jose` for .../node_modules/jose/dist/..., `@lift/auth-jwt` for packages/auth-jwt/dist/index.js, else `entry`. */
function packageOf(path: string): string {
  const dependency = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)
  if (dependency) return dependency[1]!
  const workspace = /(?:^|\/)packages\/([^/]+)\//.exec(path)
  return workspace ? `@lift/${workspace[1]}` : 'entry'
}

/** JWKS code: jose, and auth-jwt's chunk of the JWKS key source (fetch, discovery, jose's key selection). */
const isJwksCode = (input: string) => packageOf(input) === 'jose' || /\/remote-keys-[^/]+\.js$/.test(input)

describe('bundle size of a Middy handler with @lift/auth-jwt (esbuild, minified ESM, AWS SDK external)', () => {
  it('keeps only the jose functions the JWKS key source uses (a dynamic import of jose bundled all of it)', async () => {
    const { shares: jwks } = await bundle(JWKS)
    // The local key set, its errors and key import: 5.5 KB. All of jose is about 60 KB.
    expect(jwks.jose).toBeGreaterThan(0)
    expect(jwks.jose).toBeLessThanOrEqual(7 * KB)
  })

  it('HMAC-only and PEM-only handlers load no JWKS code at cold start: jose and the key set fetch are a chunk of their own', async () => {
    for (const contents of [HMAC, PEM]) {
      const split = await bundle(contents, true)
      expect(split.staticInputs.filter(isJwksCode)).toEqual([])
      expect(split.staticShares.jose ?? 0).toBe(0)
      // ... and that chunk is in the output, for the first token of a JWKS issuer.
      expect(split.shares.jose).toBeGreaterThan(0)
    }
    // A JWKS issuer needs it on its first token, not at import either.
    const jwks = await bundle(JWKS, true)
    expect(jwks.staticInputs.filter(isJwksCode)).toEqual([])
  })

  it('no handler imports node:http: loading the HTTP stack costs a cold start tens of ms, for a table of titles', async () => {
    // @middy/util imports node:http too, but nothing it exports from there reaches a handler: esbuild drops it.
    for (const contents of [HMAC, PEM, JWKS]) {
      const { builtins } = await bundle(contents)
      expect(builtins).toContain('crypto')
      expect(builtins).not.toContain('http')
    }
  })

  it('a JWKS handler stays within its budget', async () => {
    const { bytes, shares: parts } = await bundle(JWKS)
    // Measured 64.5 KB in one file (2026-12-04, later): Middy 2.9 KB, auth-jwt 34.5 KB, security-core 21.5 KB
    // (1 KB of it the reason-phrase table that replaced node:http), jose 5.5 KB; 3.4 KB more than that morning
    // for correctness fixes: REST Cognito authorizer claims, resolver answers bounding cached verdicts, ALB
    // `ip:port` entries, the Secrets Manager provider's timeout, rotation pairing and bounded cache, and the
    // one re-read of a rotated secret when a signature matches neither cached value.
    // The goal is 25 KB (issue 18, not reached); this budget only stops it from growing.
    expect(bytes).toBeLessThanOrEqual(65 * KB)
    expect(parts['@middy/core']).toBeGreaterThan(0)
    expect(parts['@lift/auth-jwt']).toBeGreaterThan(0)
  })

  it('an HMAC-only handler stays within its budget (one file, and what a split bundle loads at cold start)', async () => {
    const { bytes } = await bundle(HMAC)
    // One file holds every key source (esbuild cannot know which the options pick): as the JWKS handler.
    expect(bytes).toBeLessThanOrEqual(65 * KB)
    // Split: 53.4 KB at cold start (2026-12-04, later; 50.4 KB that morning, before the correctness fixes
    // above); the goal is 20 KB (issue 18, not reached).
    const split = await bundle(HMAC, true)
    expect(split.staticBytes).toBeLessThanOrEqual(54 * KB)
    expect(split.staticBytes).toBeLessThan(bytes - 8 * KB)
  })

  it('security-core’s share of a JWT handler stays within its budget', async () => {
    const { shares: parts } = await bundle(JWKS)
    // Measured 21.5 KB: the request view for every event source (7.5 KB), the principal, problem responses
    // (with the 1 KB table of reason phrases), the LRU cache, security events and the Secrets Manager
    // provider (6.6 KB, for secretRef; loaded on first use, but in the same file: esbuild assigns modules to
    // chunks by file reachability, and security-core's index re-exports it). The goal is 10 KB (issue 18).
    expect(parts['@lift/security-core']).toBeGreaterThan(0)
    expect(parts['@lift/security-core']).toBeLessThanOrEqual(22 * KB)
  })
})
