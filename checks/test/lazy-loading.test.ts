// What a cold start of a function using the built @lift/auth-jwt (dist, as installed) loads: a fresh Node
// process imports the package, builds one Middy handler and sends it one request, while a module hook
// records every module resolved. JWKS code (jose, the key set fetch, discovery) and the Secrets Manager
// provider are loaded with the first token of an issuer that needs them, and never otherwise.
import { spawnSync } from 'node:child_process'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'

const checksDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const SECRET = 's'.repeat(32)

interface Run {
  /** The handler's status code (a refusal's status when it threw). */
  status: number
  /** Every module URL resolved in the process, after the hook was registered. */
  loaded: string[]
}

/**
 * Runs one request through `jwtAuth({ issuers: [<issuer>] })` in a fresh Node process, with a token whose
 * header names `alg` (HMAC-signed: an RS256 token reaches the key lookup, and is refused after it).
 */
function coldStart(issuer: string, alg: 'HS256' | 'RS256'): Run {
  const script = `
import { createHmac } from 'node:crypto'
import { registerHooks } from 'node:module'
const loaded = new Set()
registerHooks({ resolve(specifier, context, next) { const found = next(specifier, context); loaded.add(found.url); return found } })
const { default: middy } = await import('@middy/core')
const { jwtAuth } = await import('@lift/auth-jwt')
const handler = middy()
  .use(jwtAuth({ issuers: [${issuer}], jwks: { timeoutMs: 2000 } }))
  .handler(async (_event, context) => ({ statusCode: 200, body: context.principal.id }))
const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url')
const input = part({ alg: '${alg}', typ: 'JWT' }) + '.' + part({ iss: 'https://idp.example', aud: 'api', sub: 'user-1', exp: Math.floor(Date.now() / 1000) + 60 })
const token = input + '.' + createHmac('sha256', '${SECRET}').update(input).digest('base64url')
const event = { version: '2.0', rawPath: '/', rawQueryString: '', headers: { authorization: 'Bearer ' + token },
  requestContext: { http: { method: 'GET', path: '/', sourceIp: '127.0.0.1' }, requestId: 'r-1' } }
let status
try { status = (await handler(event, { getRemainingTimeInMillis: () => 3000 })).statusCode } catch (error) { status = error.statusCode ?? 500 }
console.log(JSON.stringify({ status, loaded: [...loaded] }))
`
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: checksDir,
    encoding: 'utf8',
    timeout: 30_000,
  })
  if (result.status !== 0) throw new Error(`cold start failed: ${result.stderr}`)
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as Run
}

const HMAC = `{ issuer: 'https://idp.example', audience: 'api', algorithms: ['HS256'], secret: '${SECRET}' }`
// Port 9 (discard) on 127.0.0.1: the key set fetch is refused at once, and the request is a 503.
const JWKS = `{ issuer: 'https://idp.example', audience: 'api', algorithms: ['RS256'], jwksUri: 'http://127.0.0.1:9/jwks.json' }`

const loads = (run: Run, pattern: RegExp) => run.loaded.some((url) => pattern.test(url))
const JOSE = /\/node_modules\/jose\//
const REMOTE_KEYS = /\/auth-jwt\/dist\/remote-keys-[^/]+\.js$/

describe('what a cold start with the built @lift/auth-jwt loads', () => {
  it('an HMAC-only handler verifies its token without ever loading jose or the JWKS code', () => {
    const run = coldStart(HMAC, 'HS256')
    expect(run.status).toBe(200)
    expect(loads(run, /\/auth-jwt\/dist\/index\.js$/)).toBe(true)
    expect(loads(run, JOSE)).toBe(false)
    expect(loads(run, REMOTE_KEYS)).toBe(false)
    expect(loads(run, /\/auth-jwt\/dist\/(secret-ref-keys|resolver-lookup)-[^/]+\.js$/)).toBe(false)
  })

  it('a JWKS handler loads jose and the JWKS code with its first token (the fetch then fails: 503)', () => {
    const run = coldStart(JWKS, 'RS256')
    expect(run.status).toBe(503)
    expect(loads(run, REMOTE_KEYS)).toBe(true)
    expect(loads(run, JOSE)).toBe(true)
  })
})
