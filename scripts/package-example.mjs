#!/usr/bin/env node
// Builds the deployable artifact of the example in the current directory: `pnpm --filter <example> package`.
//
// For every AWS::Serverless::Function of ./template.yaml with `Handler: <file>.<export>` and
// `CodeUri: dist/<file>`, src/<file>.ts is bundled with esbuild into dist/<file>/<file>.mjs (minified ESM with
// a source map). Everything is bundled, the Lift packages included, except the AWS SDK v3 (`@aws-sdk/*`),
// which the Lambda Node.js runtime provides. `sam deploy` then uploads each dist/<file>/ folder as it is:
// no `sam build`, so npm never sees the pnpm-only `workspace:` versions of package.json.
//
// The Lift packages the example uses are built first (turbo, cached), so one command is enough on a fresh
// clone after `pnpm install`.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'

const exampleDir = process.cwd()
const manifest = JSON.parse(readFileSync(join(exampleDir, 'package.json'), 'utf8'))
execFileSync(
  'pnpm',
  ['turbo', 'run', 'build', `--filter=${manifest.name}^...`, '--output-logs=errors-only'],
  {
    cwd: exampleDir,
    stdio: 'inherit',
  },
)

// The template is read by @lift/testing (every example's devDependency, just built), as the template tests read it.
const { readSamTemplate, resourcesOfType } = await import(
  pathToFileURL(createRequire(join(exampleDir, 'package.json')).resolve('@lift/testing')).href
)
const functions = lambdaFunctions(join(exampleDir, 'template.yaml'))
if (functions.length === 0) fail('template.yaml declares no AWS::Serverless::Function')

rmSync(join(exampleDir, 'dist'), { recursive: true, force: true })
for (const fn of functions) {
  const result = await build({
    entryPoints: [join(exampleDir, 'src', `${fn.file}.ts`)],
    outfile: join(exampleDir, fn.codeUri, `${fn.file}.mjs`),
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    minify: true,
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    // tsup's shared chunks are imported for their side effects from packages marked side-effect free.
    logOverride: { 'ignored-bare-import': 'silent' },
    // Lambda's runtime ships the AWS SDK v3; bundling it would only make the artifact and cold starts bigger.
    external: ['@aws-sdk/*'],
    // CommonJS dependencies bundled into ESM (the X-Ray SDK under Powertools Tracer) need a real require.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  })
  const bytes = Object.entries(result.metafile.outputs).find(([file]) => file.endsWith('.mjs'))[1].bytes
  console.log(
    `${fn.logicalId}: src/${fn.file}.ts -> ${fn.codeUri}/${fn.file}.mjs (${Math.round(bytes / 1024)} KiB)`,
  )
}

/** The functions of a SAM template, with the bundle each one needs, checked against the convention above. */
function lambdaFunctions(templateFile) {
  return resourcesOfType(readSamTemplate(templateFile), 'AWS::Serverless::Function').map(
    ([logicalId, { Properties: properties = {} }]) => {
      const match = /^([A-Za-z0-9_-]+)\.[A-Za-z_$][\w$]*$/.exec(String(properties.Handler))
      if (!match) fail(`${logicalId}: Handler must be <file>.<export> (got ${properties.Handler})`)
      const file = match[1]
      const codeUri = String(properties.CodeUri ?? '').replace(/\/$/, '')
      if (codeUri !== `dist/${file}`)
        fail(`${logicalId}: CodeUri must be dist/${file} (got ${properties.CodeUri})`)
      return { logicalId, file, codeUri }
    },
  )
}

function fail(message) {
  console.error(`package: ${join(exampleDir, 'template.yaml')}: ${message}`)
  process.exit(1)
}
