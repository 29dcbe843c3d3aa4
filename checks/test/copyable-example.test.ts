// The flagship example is meant to be copied out of the repository ("Copy this folder", DESIGN.md use case 3):
// nothing in it may reach a file outside it (an import, a tsconfig `extends`, a script path, the Jest
// config), and its package.json must list every package its code imports, since a copy has no workspace
// root to borrow them from. Read from the files alone: no install.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, extname, isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import ts from 'typescript'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const example = join(root, 'examples', 'secure-crud-api')
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', '.aws-sam', '.turbo'])
const CODE = new Set(['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'])

function filesOf(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return SKIPPED_DIRS.has(entry.name) ? [] : filesOf(join(dir, entry.name))
    return [join(dir, entry.name)]
  })
}

/** Every module specifier of a code file: static and dynamic imports, re-exports, require calls. */
function specifiersOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
  return info.importedFiles.map((imported) => imported.fileName)
}

/** Relative paths a package.json script hands to its commands (`node ../x.mjs`, `--config=./a.json`). */
function scriptPaths(command: string): string[] {
  return command
    .split(/[\s=]+/)
    .map((word) => word.replace(/^['"]|['"]$/g, ''))
    .filter((word) => /^\.\.?\//.test(word) || word === '..')
}

/** Every reference from a file of `dir` that leaves `dir`, as `file: reference`. */
function referencesOutside(dir: string): string[] {
  const outside = (from: string, target: string) => {
    const resolved = isAbsolute(target) ? target : resolve(dirname(from), target)
    const rel = relative(dir, resolved)
    return rel === '..' || rel.startsWith('../') || isAbsolute(rel) || isAbsolute(target)
  }
  const found: string[] = []
  for (const file of filesOf(dir)) {
    const name = relative(dir, file)
    if (CODE.has(extname(file))) {
      for (const specifier of specifiersOf(file)) {
        if ((specifier.startsWith('.') || isAbsolute(specifier)) && outside(file, specifier))
          found.push(`${name}: ${specifier}`)
      }
      // Jest's <rootDir> paths (moduleNameMapper, collectCoverageFrom, roots) stay below the example too.
      for (const [path] of readFileSync(file, 'utf8').matchAll(/<rootDir>[^'"`\s,)]*/g)) {
        if (outside(join(dir, 'x'), path.replace('<rootDir>', '.'))) found.push(`${name}: ${path}`)
      }
    } else if (/^tsconfig.*\.json$/.test(name.split('/').at(-1)!)) {
      const config = ts.parseConfigFileTextToJson(file, readFileSync(file, 'utf8')).config as {
        extends?: string | string[]
        include?: string[]
        files?: string[]
        references?: { path: string }[]
      }
      const paths = [
        ...[config.extends ?? []].flat(),
        ...(config.include ?? []),
        ...(config.files ?? []),
        ...(config.references ?? []).map((reference) => reference.path),
      ]
      for (const path of paths) if (outside(file, path)) found.push(`${name}: ${path}`)
    } else if (name.endsWith('package.json')) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { scripts?: Record<string, string> }
      for (const [script, command] of Object.entries(manifest.scripts ?? {})) {
        for (const path of scriptPaths(command))
          if (outside(file, path)) found.push(`${name}: scripts.${script}: ${path}`)
      }
    }
  }
  return found.sort()
}

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`), undefined for Node built-ins. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0]!)) return undefined
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function listed(manifest: Manifest, name: string): boolean {
  const all = { ...manifest.dependencies, ...manifest.devDependencies }
  // A types-only module (`import type { Context } from 'aws-lambda'`) comes from DefinitelyTyped.
  return name in all || `@types/${name.replace(/^@([^/]+)\//, '$1__')}` in all
}

interface Manifest {
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
}

describe('examples/secure-crud-api can be copied out of the repository', () => {
  it('references no file outside its folder', () => {
    expect(referencesOutside(example)).toEqual([])
  })

  it('lists in package.json every package its code imports', () => {
    const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8')) as Manifest
    const imported = new Set(
      ['src', 'test', 'load', 'scripts']
        .map((dir) => join(example, dir))
        .filter((dir) => existsSync(dir))
        .flatMap(filesOf)
        .filter((file) => CODE.has(extname(file)))
        .flatMap(specifiersOf)
        .filter((specifier) => !specifier.startsWith('.') && !isAbsolute(specifier))
        .map(packageOf)
        .filter((name): name is string => name !== undefined),
    )
    expect(imported.size).toBeGreaterThan(10)
    expect([...imported].filter((name) => !listed(manifest, name)).sort()).toEqual([])
  })

  it('uses workspace versions only for the Lift packages (the README says what to put instead)', () => {
    const manifest = JSON.parse(readFileSync(join(example, 'package.json'), 'utf8')) as Manifest
    const workspace = Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })
      .filter(([, version]) => version.startsWith('workspace:'))
      .map(([name]) => name)
    expect(workspace.filter((name) => !name.startsWith('@lift/'))).toEqual([])
    const readme = readFileSync(join(example, 'README.md'), 'utf8')
    const copy = readme.slice(readme.indexOf('\n## Copy this folder\n'))
    expect(copy).toMatch(/^\n## Copy this folder\n/)
    for (const name of workspace)
      expect({ name, inReadme: copy.includes(name) }).toEqual({ name, inReadme: true })
  })

  it('finds an import, an extends, a script path and a <rootDir> path that leave the folder', () => {
    const fixture = join(root, 'checks', 'test', 'fixtures', 'copyable-example')
    expect(referencesOutside(fixture)).toEqual([
      'jest.config.mjs: ../../jest.base.mjs',
      'jest.config.mjs: <rootDir>/../shared/src/**/*.ts',
      'package.json: scripts.package: ../../scripts/package-example.mjs',
      'src/a.mjs: ../../outside',
      'src/a.mjs: ../../outside-dynamic',
      'src/a.mjs: ../../outside-require',
      'tsconfig.json: ../../tsconfig.base.json',
    ])
  })
})
