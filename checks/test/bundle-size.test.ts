// What a Lambda function using @lift/auth-jwt ships: two Middy handlers (one HMAC issuer, one JWKS issuer)
// bundled the way a function is deployed (esbuild, minified ESM, platform node, AWS SDK external), from the
// built packages (dist), with each package's share read from esbuild's metafile.
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

interface Bundle {
  bytes: number
  /** Output bytes per package (`@lift/security-core`, `jose`, ...) and `entry` for the handler itself. */
  shares: Record<string, number>
}

async function bundle(contents: string): Promise<Bundle> {
  const result = await build({
    stdin: { contents, resolveDir: checksDir, loader: 'js' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    write: false,
    metafile: true,
    external: ['@aws-sdk/*'],
    logLevel: 'silent',
  })
  return { bytes: result.outputFiles[0]!.contents.byteLength, shares: shares(result.metafile) }
}

function shares(metafile: Metafile): Record<string, number> {
  const output = Object.values(metafile.outputs)[0]!
  const byPackage: Record<string, number> = {}
  for (const [path, input] of Object.entries(output.inputs)) {
    const name = packageOf(path)
    byPackage[name] = (byPackage[name] ?? 0) + input.bytesInOutput
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

describe('bundle size of a Middy handler with @lift/auth-jwt (esbuild, minified ESM, AWS SDK external)', () => {
  it('keeps only the jose functions the JWKS key source uses (a dynamic import of jose bundled all of it)', async () => {
    const { shares: jwks } = await bundle(JWKS)
    // The remote key set, its errors and key import: about 7.5 KB. All of jose is about 60 KB.
    expect(jwks.jose).toBeGreaterThan(0)
    expect(jwks.jose).toBeLessThanOrEqual(9 * KB)
  })

  it('a JWKS handler stays within its budget', async () => {
    const { bytes, shares: parts } = await bundle(JWKS)
    // Measured 50.5 KB (2026-12-03): Middy 3 KB, auth-jwt 21 KB, security-core 18.6 KB, jose 7.6 KB.
    // The goal is 25 KB (issue 18); this budget only stops it from growing while that work is done.
    expect(bytes).toBeLessThanOrEqual(53 * KB)
    expect(parts['@middy/core']).toBeGreaterThan(0)
    expect(parts['@lift/auth-jwt']).toBeGreaterThan(0)
  })

  it('an HMAC-only handler stays within its budget', async () => {
    const { bytes } = await bundle(HMAC)
    expect(bytes).toBeLessThanOrEqual(53 * KB)
  })

  it('security-core’s share of a JWT handler stays within its budget', async () => {
    const { shares: parts } = await bundle(JWKS)
    // Measured 18.2 KB: the request view for every event source, the principal, problem responses, the
    // LRU cache, security events and the Secrets Manager provider (referenced by auth-jwt for secretRef).
    expect(parts['@lift/security-core']).toBeGreaterThan(0)
    expect(parts['@lift/security-core']).toBeLessThanOrEqual(19 * KB)
  })
})
