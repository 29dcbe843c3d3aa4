// The release path as GitHub will run it: the workflows and issue templates parse, CI runs the README's test
// command through .ci/run (Node.js 22, then 24), the release publishes with changesets and npm provenance
// from an OIDC token, security reports go to private advisories, and what CONTRIBUTING.md and the README tell
// a contributor to run exists (every `pnpm` command names a real script; every JavaScript block of the docs
// is a file the packed-tarball consumer test runs).
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { parseDocument } from 'yaml'
import { codeBlocks, documentationFiles } from './support/markdown-code-blocks'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const read = (path: string) => readFileSync(join(root, path), 'utf8')

interface Step {
  uses?: string
  run?: string
  with?: Record<string, unknown>
  env?: Record<string, unknown>
}
interface Workflow {
  name: string
  on: Record<string, unknown>
  permissions?: Record<string, string>
  jobs: Record<
    string,
    { if?: string; 'runs-on': string; steps: Step[]; permissions?: Record<string, string> }
  >
}

/** A YAML file parsed strictly: any syntax error or duplicate key fails. */
function yamlFile<T>(path: string): T {
  const document = parseDocument(read(path), { uniqueKeys: true })
  expect({ path, errors: document.errors.map((error) => error.message) }).toEqual({ path, errors: [] })
  return document.toJS() as T
}

/** A GitHub Actions expression as written in a workflow: `${{ expression }}`. */
const gha = (expression: string) => ['$', '{{ ', expression, ' }}'].join('')
const steps = (workflow: Workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps)
const usesAction = (step: Step, action: string) => step.uses?.split('@')[0] === action

describe('.github/workflows/ci.yml', () => {
  const ci = yamlFile<Workflow>('.github/workflows/ci.yml')

  it('runs on pushes to main and on pull requests', () => {
    expect(ci.on).toHaveProperty('pull_request')
    expect(ci.on.push).toEqual({ branches: ['main'] })
  })

  it('checks out, sets up Node.js 22 and runs .ci/run', () => {
    const all = steps(ci)
    expect(all.some((step) => usesAction(step, 'actions/checkout'))).toBe(true)
    const node = all.find((step) => usesAction(step, 'actions/setup-node'))
    expect(node?.with?.['node-version']).toBe(22)
    expect(all.filter((step) => step.run?.trim() === '.ci/run')).toHaveLength(1)
    expect(ci.permissions).toEqual({ contents: 'read' })
  })

  it('.ci/run is executable and runs the README test command on Node.js 22 and then 24', () => {
    const mode = execFileSync('git', ['ls-files', '-s', '.ci/run'], { cwd: root, encoding: 'utf8' })
    expect(mode.split(' ')[0]).toBe('100755')
    const script = read('.ci/run')
    expect(script).toContain('pnpm install && pnpm test')
    expect(script).toMatch(/for major in 22 24; do/)
    expect(read('README.md')).toContain('npm i -g pnpm@10 && pnpm install && pnpm test')
  })
})

describe('.github/workflows/release.yml', () => {
  const release = yamlFile<Workflow>('.github/workflows/release.yml')
  const ci = yamlFile<Workflow>('.github/workflows/ci.yml')
  const all = steps(release)
  const changesets = all.find((step) => usesAction(step, 'changesets/action'))

  it('runs only after CI passed on a push to main', () => {
    expect(release.on.workflow_run).toEqual({
      workflows: [ci.name],
      types: ['completed'],
      branches: ['main'],
    })
    const [job] = Object.values(release.jobs)
    expect(job!.if).toContain("github.event.workflow_run.conclusion == 'success'")
    expect(job!.if).toContain("github.event.workflow_run.event == 'push'")
    const checkout = all.find((step) => usesAction(step, 'actions/checkout'))
    expect(checkout?.with?.ref).toBe(gha('github.event.workflow_run.head_sha'))
  })

  it('may mint an OIDC token for provenance, push tags and open the version pull request', () => {
    expect(release.permissions).toEqual({ 'id-token': 'write', contents: 'write', 'pull-requests': 'write' })
  })

  it('versions and publishes with changesets: `changeset publish` with --provenance, NPM_TOKEN', () => {
    expect(changesets).toBeDefined()
    expect(changesets!.with).toMatchObject({ version: 'pnpm version-packages', publish: 'pnpm release' })
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>
    expect(scripts['version-packages']).toBe('changeset version')
    expect(scripts.release).toMatch(/&& changeset publish$/)
    // `changeset publish` runs `npm publish` per package; NPM_CONFIG_PROVENANCE is its `--provenance`.
    expect(changesets!.env).toMatchObject({
      NPM_CONFIG_PROVENANCE: 'true',
      NPM_TOKEN: gha('secrets.NPM_TOKEN'),
      NODE_AUTH_TOKEN: gha('secrets.NPM_TOKEN'),
      GITHUB_TOKEN: gha('secrets.GITHUB_TOKEN'),
    })
    const node = all.find((step) => usesAction(step, 'actions/setup-node'))
    expect(node?.with).toMatchObject({ 'node-version': 22, 'registry-url': 'https://registry.npmjs.org' })
    expect(all.some((step) => step.run === 'pnpm install --frozen-lockfile')).toBe(true)
  })

  it('every package changesets may publish also asks npm for provenance itself', () => {
    const config = JSON.parse(read('.changeset/config.json'))
    expect(config).toMatchObject({ access: 'public', baseBranch: 'main' })
    for (const name of readdirSync(join(root, 'packages'))) {
      const pkg = JSON.parse(read(`packages/${name}/package.json`))
      if (pkg.private) continue
      expect({ name, publishConfig: pkg.publishConfig }).toEqual({
        name,
        publishConfig: { access: 'public', provenance: true },
      })
    }
  })
})

describe('.github/ISSUE_TEMPLATE', () => {
  interface Form {
    name: string
    description: string
    body: { type: string; id?: string; attributes: Record<string, unknown> }[]
  }

  it.each(['bug_report.yml', 'feature_request.yml'])('%s is a valid issue form', (file) => {
    const form = yamlFile<Form>(`.github/ISSUE_TEMPLATE/${file}`)
    expect(typeof form.name).toBe('string')
    expect(typeof form.description).toBe('string')
    const inputs = form.body.filter((element) => element.type !== 'markdown')
    expect(inputs.length).toBeGreaterThan(2)
    const ids = inputs.map((element) => element.id)
    expect(ids.every((id) => typeof id === 'string' && /^[a-z][a-z0-9-]*$/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    for (const element of form.body) {
      expect(['markdown', 'textarea', 'input', 'dropdown', 'checkboxes']).toContain(element.type)
      if (element.type !== 'markdown') expect(typeof element.attributes.label).toBe('string')
    }
  })

  it('the bug form sends security reports to a private advisory', () => {
    expect(read('.github/ISSUE_TEMPLATE/bug_report.yml')).toContain(
      'https://github.com/lift-dev/lift/security/advisories/new',
    )
  })

  it('config.yml turns blank issues off and links security reports to private advisories', () => {
    const config = yamlFile<{ blank_issues_enabled: boolean; contact_links: { url: string }[] }>(
      '.github/ISSUE_TEMPLATE/config.yml',
    )
    expect(config.blank_issues_enabled).toBe(false)
    expect(config.contact_links[0]!.url).toBe('https://github.com/lift-dev/lift/security/advisories/new')
  })
})

describe('SECURITY.md', () => {
  const text = read('SECURITY.md')
  const headings = text.split('\n').filter((line) => line.startsWith('## '))

  it('has the supported versions, private reporting, response times and the scope', () => {
    expect(headings).toEqual([
      '## Supported versions',
      '## Reporting a vulnerability',
      '## Response times',
      '## What counts as a vulnerability',
      '## What does not',
    ])
    expect(text).toContain('(https://github.com/lift-dev/lift/security/advisories/new)')
    expect(text).toMatch(/acknowledgement of the report +\| 3 business days/)
    expect(text).toMatch(/triage[^|]*\| 7 days/)
  })

  it('supports the versions the packages are at, on the Node.js the packages declare', () => {
    const [minor] = /^\d+\.\d+/.exec(JSON.parse(read('packages/security-core/package.json')).version)!
    expect(text).toContain(`| \`${minor}.x\` | 22, 24 `)
  })

  it.each([
    'Authentication bypass',
    'Tenant isolation break',
    'Signature or replay bypass',
    'Rate-limit bypass',
    'Secret or credential leak',
    'Denial of service by crafted input',
  ])('counts %s as a vulnerability', (kind) => {
    const scope = text.slice(text.indexOf('## What counts'), text.indexOf('## What does not'))
    expect(scope).toContain(`**${kind}**`)
  })
})

describe('CONTRIBUTING.md', () => {
  const text = read('CONTRIBUTING.md')
  const scripts = (dir: string): Record<string, string> =>
    JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).scripts ?? {}
  const workspaces = new Map(
    ['packages', 'examples', '.']
      .flatMap((parent) =>
        parent === '.' ? ['bench', 'checks'] : readdirSync(join(root, parent)).map((n) => `${parent}/${n}`),
      )
      .filter((dir) => existsSync(join(root, dir, 'package.json')))
      .map((dir) => [JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).name as string, dir]),
  )

  /** Every `pnpm …` command of the shell blocks: `pnpm <script>` or `pnpm --filter <package> <script>`. */
  const commands = codeBlocks(root, join(root, 'CONTRIBUTING.md'))
    .filter((block) => block.lang === 'sh')
    .flatMap((block) => block.code.split('\n'))
    .flatMap((line) => line.replace(/#.*$/, '').split('&&'))
    .map((command) => command.trim())
    .filter((command) => command.startsWith('pnpm '))

  it('lists the commands', () => {
    expect(commands).toEqual(expect.arrayContaining(['pnpm test', 'pnpm install', 'pnpm changeset']))
  })

  it('every pnpm command it gives runs a script that exists', () => {
    const missing = commands.filter((command) => {
      const words = command.split(/\s+/).slice(1)
      if (words[0] === 'install') return false
      if (words[0] === '--filter') {
        const dir = workspaces.get(words[1]!)
        return dir === undefined || !(words[2]! in scripts(dir))
      }
      return !(words[0]! in scripts('.'))
    })
    expect(missing).toEqual([])
  })

  it('names every directory of its layout table', () => {
    const paths = [...text.matchAll(/^\| `([^`<]+)\/`/gm)].map((match) => match[1]!)
    expect(paths.length).toBeGreaterThan(5)
    expect(paths.filter((path) => !existsSync(join(root, path)))).toEqual([])
  })
})

describe('the README quickstart and JavaScript in the docs', () => {
  const consumerDir = join(root, 'checks', 'test', 'consumer')
  const consumerFiles = readdirSync(consumerDir).map((file) => readFileSync(join(consumerDir, file), 'utf8'))
  const blocks = documentationFiles(root)
    .flatMap((file) => codeBlocks(root, file))
    .filter((block) => block.lang === 'js')

  it('the README shows the CommonJS handler', () => {
    expect(blocks.map((block) => block.file)).toContain('README.md')
  })

  it('the README quickstart is checks/test/consumer/handler.mjs, which the packed-tarball test runs', () => {
    const [quickstart] = codeBlocks(root, join(root, 'README.md')).filter((block) => block.lang === 'ts')
    const handler = readFileSync(join(consumerDir, 'handler.mjs'), 'utf8').replace(/^(\/\/.*\n)+/, '')
    expect(`${quickstart!.code}\n`).toBe(handler)
    expect(quickstart!.code.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(10)
  })

  it('every JavaScript block is a file of checks/test/consumer, which the packed-tarball test runs', () => {
    const unrun = blocks.filter((block) => !consumerFiles.includes(`${block.code}\n`))
    expect(unrun.map((block) => `${block.file}:${block.line}`)).toEqual([])
  })
})
