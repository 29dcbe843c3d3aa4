// Every example deploys: `pnpm --filter <example> package` (the command its README and the deployment guide
// give) bundles each function of template.yaml into the folder its CodeUri names, the template passes
// cfn-lint, and each bundle, copied alone next to nothing but the AWS SDK (as on the Lambda runtime), loads
// and answers an event. Examples are discovered: every examples/*/template.yaml is checked.
import { execFileSync, spawnSync } from 'node:child_process'
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from '@jest/globals'
import { readSamTemplate, resourcesOfType, type SamResource, type SamTemplate } from '@lift/testing'

const checksDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(checksDir, '..')
const examples = readdirSync(join(root, 'examples'))
  .filter((name) => existsSync(join(root, 'examples', name, 'template.yaml')))
  .sort()

/** Values for template parameters without a Default, by parameter name, shaped as the README asks. */
const SAMPLE_PARAMETERS: Record<string, string> = {
  JwtIssuer: 'https://issuer.example.com',
  JwtAudience: 'example-api',
  JwksUri: 'https://issuer.example.com/.well-known/jwks.json',
  TenantIssuers: JSON.stringify([
    {
      tenantId: 'acme',
      issuer: 'https://issuer.example.com/acme',
      audience: 'example-api',
      jwksUri: 'https://issuer.example.com/acme/.well-known/jwks.json',
    },
  ]),
  ServiceTenantId: 'acme',
}
const RUNTIMES = ['nodejs22.x', 'nodejs24.x']
const DATA_RESOURCES = ['AWS::DynamoDB::Table', 'AWS::SecretsManager::Secret']

const sandbox = mkdtempSync(join(tmpdir(), 'lift-artifacts-'))
afterAll(() => rmSync(sandbox, { recursive: true, force: true }))

describe('example artifacts', () => {
  it('finds the examples', () => {
    expect(examples).toEqual(expect.arrayContaining(['hello-world', 'secure-crud-api', 'signed-requests']))
  })

  it('runs one example on nodejs24.x by default, the others on nodejs22.x', () => {
    const defaults = examples.map((name) => runtimeParameter(template(name)).Default)
    expect(defaults).toContain('nodejs24.x')
    expect(defaults).toContain('nodejs22.x')
  })

  describe.each(examples)('examples/%s', (name) => {
    const dir = join(root, 'examples', name)

    it('picks its runtime with the NodeRuntime parameter (nodejs22.x or nodejs24.x)', () => {
      const parsed = template(name)
      const parameter = runtimeParameter(parsed)
      expect(parameter.AllowedValues).toEqual(RUNTIMES)
      expect(RUNTIMES).toContain(parameter.Default)
      expect(parsed.Globals.Function.Runtime).toEqual({ Ref: 'NodeRuntime' })
      for (const [, fn] of functions(parsed)) expect(fn.Properties).not.toHaveProperty('Runtime')
    })

    it('retains its tables and secrets when the stack is deleted or the resource replaced', () => {
      const resources = Object.entries(template(name).Resources).filter(([, r]) =>
        DATA_RESOURCES.includes(r.Type),
      )
      const policies = resources.map(([id, r]) => [
        id,
        (r as Policies).DeletionPolicy,
        (r as Policies).UpdateReplacePolicy,
      ])
      expect(policies).toEqual(resources.map(([id]) => [id, 'Retain', 'Retain']))
    })

    it('its README and the deployment guide deploy with the command this test runs, and no `sam build`', () => {
      const { name: packageName } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string
      }
      const readme = readFileSync(join(dir, 'README.md'), 'utf8')
      const deploy = readme.slice(readme.indexOf('\n## Deploy\n'))
      expect(deploy).toContain(`\npnpm --filter ${packageName} package `)
      expect(deploy).toContain(`\ncd examples/${name} && sam deploy --guided`)
      expect({ name, sambuild: /^\s*sam build/m.test(readme) }).toEqual({ name, sambuild: false })
      const guide = readFileSync(join(root, 'docs', 'guides', 'deployment.md'), 'utf8')
      expect(guide).toContain('\npnpm --filter @lift/example-hello-world package ')
      expect(guide).toContain('\ncd examples/hello-world && sam deploy --guided')
      expect(guide).not.toMatch(/^\s*sam build/m)
    })

    it('passes cfn-lint', () => {
      const cfnLint = findCfnLint()
      if (cfnLint === undefined) {
        console.warn(
          `cfn-lint is not installed: examples/${name}/template.yaml NOT validated (pip install cfn-lint)`,
        )
        return
      }
      const result = spawnSync(cfnLint, ['--', join(dir, 'template.yaml')], { encoding: 'utf8' })
      expect({ status: result.status, output: result.stdout + result.stderr }).toEqual({
        status: 0,
        output: '',
      })
    })

    it('`pnpm --filter <example> package` bundles every function where its CodeUri points', () => {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name: string
        scripts: Record<string, string>
      }
      // The flagship carries its own script (it is meant to be copied out of the repository, see
      // copyable-example.test.ts); the others share the repository's.
      expect(manifest.scripts.package).toBe(
        name === 'secure-crud-api' ? 'node scripts/package.mjs' : 'node ../../scripts/package-example.mjs',
      )
      // The outer run may force turbo; the nested build of the Lift packages replays this run's cache.
      const { TURBO_FORCE: _force, ...env } = process.env
      execFileSync('pnpm', ['--filter', manifest.name, 'package'], { cwd: root, env, stdio: 'pipe' })
      for (const [id, fn] of functions(template(name))) {
        const file = String(fn.Properties.Handler).split('.')[0]
        expect({ id, codeUri: fn.Properties.CodeUri }).toEqual({ id, codeUri: `dist/${file}` })
        expect(readdirSync(join(dir, 'dist', file!)).sort()).toEqual([`${file}.mjs`, `${file}.mjs.map`])
      }
    })

    it('each bundle loads alone beside the AWS SDK and its handler answers an event', () => {
      const parsed = template(name)
      for (const [id, fn] of functions(parsed)) {
        const [file, exportName] = String(fn.Properties.Handler).split('.') as [string, string]
        const task = join(sandbox, name, id, 'task')
        cpSync(join(dir, 'dist', file), task, { recursive: true })
        provideAwsSdk(join(sandbox, name, id))
        const event = authorizers(parsed).has(id) ? TOKEN_AUTHORIZER_EVENT : eventFor(fn)
        const answer = invoke(join(task, `${file}.mjs`), exportName, event, environment(parsed, fn))
        if (authorizers(parsed).has(id)) {
          // An API Gateway Lambda authorizer: a bad token is refused the way API Gateway expects.
          expect({ id, error: answer.error?.message }).toEqual({ id, error: 'Unauthorized' })
        } else if (isHttpFunction(fn)) {
          // Any answer but a crash: 401 without a token, 503 when AWS is unreachable (it is, here).
          expect({ id, status: typeof answer.result?.statusCode }).toEqual({ id, status: 'number' })
          expect({ id, crashed: answer.result!.statusCode === 500 }).toEqual({ id, crashed: false })
        } else {
          // Invoked directly or on a schedule: it may fail on the unreachable AWS endpoint, never on the bundle.
          expect({ id, error: answer.error?.name }).not.toEqual({
            id,
            error: expect.stringMatching(/^(TypeError|ReferenceError|SyntaxError)$/),
          })
          expect({ id, settled: 'result' in answer || 'error' in answer }).toEqual({ id, settled: true })
        }
      }
    })
  })
})

interface Policies {
  DeletionPolicy?: string
  UpdateReplacePolicy?: string
}

interface Answer {
  result?: { statusCode?: number }
  error?: { name: string; message: string }
}

const templates = new Map<string, SamTemplate>()
function template(name: string): SamTemplate {
  if (!templates.has(name))
    templates.set(name, readSamTemplate(join(root, 'examples', name, 'template.yaml')))
  return templates.get(name)!
}

function functions(parsed: SamTemplate): [string, SamResource][] {
  return resourcesOfType(parsed, 'AWS::Serverless::Function')
}

function runtimeParameter(parsed: SamTemplate) {
  return (parsed.Parameters?.NodeRuntime ?? {}) as { Default?: string; AllowedValues?: string[] }
}

function findCfnLint(): string | undefined {
  const candidates = (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'cfn-lint'))
  return [...candidates, '/root/.pyenv/shims/cfn-lint'].find(
    (path) => existsSync(path) && spawnSync(path, ['--version']).status === 0,
  )
}

/**
 * node_modules/@aws-sdk/* beside the task folder, as the Lambda runtime provides it (every client and lib of
 * the SDK v3); nothing else resolves. The SDK packages come from pnpm's store of this repository.
 */
function provideAwsSdk(dir: string): void {
  const target = join(dir, 'node_modules', '@aws-sdk')
  if (existsSync(target)) return
  mkdirSync(target, { recursive: true })
  const sdk = join(root, 'node_modules', '.pnpm', 'node_modules', '@aws-sdk')
  for (const pkg of readdirSync(sdk)) symlinkSync(realpathSync(join(sdk, pkg)), join(target, pkg))
}

/** Functions an API's `Auth.Authorizers` names (`FunctionArn: !GetAtt <id>.Arn`). */
function authorizers(parsed: SamTemplate): Set<string> {
  const ids = new Set<string>()
  for (const resource of Object.values(parsed.Resources)) {
    const auth = (
      resource.Properties as { Auth?: { Authorizers?: Record<string, { FunctionArn?: unknown }> } }
    )?.Auth
    for (const authorizer of Object.values(auth?.Authorizers ?? {})) {
      const arn = (authorizer.FunctionArn as { 'Fn::GetAtt'?: string | string[] } | undefined)?.['Fn::GetAtt']
      const target = Array.isArray(arn) ? arn[0] : arn?.split('.')[0]
      if (target !== undefined) ids.add(target)
    }
  }
  return ids
}

/** A REST API TOKEN authorizer event with a token that is not a JWT. */
const TOKEN_AUTHORIZER_EVENT = {
  type: 'TOKEN',
  authorizationToken: 'Bearer not-a-jwt',
  methodArn: 'arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/me',
}

function isHttpFunction(fn: SamResource): boolean {
  return httpRoutes(fn).length > 0
}

function httpRoutes(fn: SamResource): { Method?: string; Path?: string }[] {
  const events = Object.values(
    (fn.Properties.Events ?? {}) as Record<string, { Type: string; Properties: object }>,
  )
  return events
    .filter((event) => event.Type === 'HttpApi' || event.Type === 'Api')
    .map((event) => event.Properties as { Method?: string; Path?: string })
    .filter((route) => route.Path !== undefined)
}

/** An API Gateway HTTP API (v2) event for the function's simplest route, or a scheduled event otherwise. */
function eventFor(fn: SamResource): unknown {
  const routes = httpRoutes(fn).sort((a, b) => params(a.Path!) - params(b.Path!) || rank(a) - rank(b))
  if (routes.length === 0) {
    return { version: '0', id: 'check', 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }
  }
  const method = (routes[0]!.Method ?? 'GET').toUpperCase()
  const path = routes[0]!.Path!.replace(/\{[^}]+\}/g, 'x')
  return {
    version: '2.0',
    routeKey: `${method} ${routes[0]!.Path}`,
    rawPath: path,
    rawQueryString: '',
    headers: { host: 'api.example.com', 'content-type': 'application/json' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'artifact-check' },
      requestId: 'artifact-check',
      routeKey: `${method} ${routes[0]!.Path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
    ...(method === 'GET' ? {} : { body: '{}' }),
  }
}
const params = (path: string) => (path.match(/\{/g) ?? []).length
const rank = (route: { Method?: string }) => ((route.Method ?? 'GET').toUpperCase() === 'GET' ? 0 : 1)

/** The function's environment as deployed, with references resolved to sample values. */
function environment(parsed: SamTemplate, fn: SamResource): Record<string, string> {
  const variables = {
    ...parsed.Globals.Function.Environment?.Variables,
    ...(fn.Properties.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables,
  }
  return Object.fromEntries(Object.entries(variables).map(([key, value]) => [key, resolve(parsed, value)]))
}

function resolve(parsed: SamTemplate, value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  const { Ref: ref, 'Fn::Sub': sub } = value as { Ref?: string; 'Fn::Sub'?: string }
  if (ref !== undefined) return reference(parsed, ref)
  if (typeof sub === 'string')
    return sub.replace(/\$\{([^}]+)\}/g, (_, name: string) => reference(parsed, name))
  throw new Error(`cannot resolve ${JSON.stringify(value)} for the artifact check`)
}

function reference(parsed: SamTemplate, name: string): string {
  if (name === 'AWS::Region') return 'us-east-1'
  if (name === 'AWS::URLSuffix') return 'amazonaws.com'
  if (name.startsWith('AWS::')) return name.slice(5)
  const parameter = parsed.Parameters?.[name]
  if (parameter === undefined) {
    // A resource: its name (tables) or ARN (secrets), as Ref gives.
    const type = parsed.Resources[name]?.Type
    return type === 'AWS::SecretsManager::Secret'
      ? `arn:aws:secretsmanager:us-east-1:123456789012:secret:${name}-AbCdEf`
      : name
  }
  const sample = parameter.Default ?? SAMPLE_PARAMETERS[name]
  if (sample === undefined) throw new Error(`add a sample value for parameter ${name} to SAMPLE_PARAMETERS`)
  return String(sample)
}

const INVOKE = `
import { pathToFileURL } from 'node:url'
const [bundle, exportName, eventJson] = process.argv.slice(2)
const context = {
  functionName: 'check', functionVersion: '$LATEST', awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:check', memoryLimitInMB: '256',
  logGroupName: '/aws/lambda/check', logStreamName: 'check', callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 10000,
}
const handler = (await import(pathToFileURL(bundle).href))[exportName]
if (typeof handler !== 'function') throw new TypeError(exportName + ' is not exported as a function')
let answer
try {
  answer = { result: await handler(JSON.parse(eventJson), context) }
} catch (error) {
  answer = { error: { name: error.name, message: String(error.message) } }
}
process.stdout.write('\\n@@answer ' + JSON.stringify(answer) + '\\n')
process.exit(0)
`

function invoke(bundle: string, exportName: string, event: unknown, env: Record<string, string>): Answer {
  const script = join(sandbox, 'invoke.mjs')
  if (!existsSync(script)) writeFileSync(script, INVOKE)
  const result = spawnSync(process.execPath, [script, bundle, exportName, JSON.stringify(event)], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: process.env.PATH,
      ...env,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      // Nothing listens there: every AWS call fails at once instead of reaching (or waiting for) AWS.
      AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
      AWS_LAMBDA_FUNCTION_NAME: 'check',
    },
  })
  const line = result.stdout.split('\n').find((l) => l.startsWith('@@answer '))
  if (line === undefined) {
    throw new Error(`${bundle} did not answer (status ${result.status}): ${result.stderr.slice(-2000)}`)
  }
  return JSON.parse(line.slice('@@answer '.length)) as Answer
}
