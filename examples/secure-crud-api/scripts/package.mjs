#!/usr/bin/env node
// `npm run package` (in the Lift repository: `pnpm --filter @lift/example-secure-crud-api package`): builds
// the deployable artifact of this example. It lives in the example, so that the folder works on its own once
// copied out of the Lift repository.
//
// For every AWS::Serverless::Function of ./template.yaml with `Handler: <file>.<export>` and
// `CodeUri: dist/<file>`, src/<file>.ts is bundled with esbuild into dist/<file>/<file>.mjs (minified ESM with
// a source map). Everything is bundled, the Lift packages included, except the AWS SDK v3 (`@aws-sdk/*`),
// which the Lambda Node.js runtime provides. `sam deploy` then uploads each dist/<file>/ folder as it is:
// no `sam build`.
//
// Inside the Lift repository (a pnpm workspace with turbo), the Lift packages the example uses are built
// first (turbo, cached), so one command is enough on a fresh clone after `pnpm install`; a copy uses the
// published packages as they are installed.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'

/**
 * Bundles every function of `<exampleDir>/template.yaml` into `<exampleDir>/dist`. The Lift repository's
 * scripts/package-example.mjs calls it for the other examples.
 */
export async function packageExample(exampleDir) {
  const manifest = JSON.parse(readFileSync(join(exampleDir, 'package.json'), 'utf8'))
  if (insideLiftWorkspace(exampleDir)) {
    execFileSync(
      'pnpm',
      ['turbo', 'run', 'build', `--filter=${manifest.name}^...`, '--output-logs=errors-only'],
      { cwd: exampleDir, stdio: 'inherit' },
    )
  }

  // The template is read by @lift/testing (a devDependency, just built in the repository), as the template
  // tests read it.
  const { readSamTemplate, resourcesOfType } = await import(
    pathToFileURL(createRequire(join(exampleDir, 'package.json')).resolve('@lift/testing')).href
  )
  const templateFile = join(exampleDir, 'template.yaml')
  const functions = lambdaFunctions(readSamTemplate(templateFile), resourcesOfType, templateFile)
  if (functions.length === 0) fail(templateFile, 'template.yaml declares no AWS::Serverless::Function')

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
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await packageExample(join(dirname(fileURLToPath(import.meta.url)), '..'))
}

/** The functions of a SAM template, with the bundle each one needs, checked against the convention above. */
function lambdaFunctions(template, resourcesOfType, templateFile) {
  return resourcesOfType(template, 'AWS::Serverless::Function').map(
    ([logicalId, { Properties: properties = {} }]) => {
      const match = /^([A-Za-z0-9_-]+)\.[A-Za-z_$][\w$]*$/.exec(String(properties.Handler))
      if (!match)
        fail(templateFile, `${logicalId}: Handler must be <file>.<export> (got ${properties.Handler})`)
      const file = match[1]
      const codeUri = String(properties.CodeUri ?? '').replace(/\/$/, '')
      if (codeUri !== `dist/${file}`)
        fail(templateFile, `${logicalId}: CodeUri must be dist/${file} (got ${properties.CodeUri})`)
      return { logicalId, file, codeUri }
    },
  )
}

function fail(templateFile, message) {
  console.error(`package: ${templateFile}: ${message}`)
  process.exit(1)
}

/** A parent folder is a pnpm workspace run by turbo (the Lift repository): its packages are built from source. */
function insideLiftWorkspace(dir) {
  for (let parent = dirname(dir); parent !== dirname(parent); parent = dirname(parent)) {
    if (existsSync(join(parent, 'pnpm-workspace.yaml'))) return existsSync(join(parent, 'turbo.json'))
  }
  return false
}
