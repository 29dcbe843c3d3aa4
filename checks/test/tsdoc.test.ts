// Every export of every package entry point (the `exports` of its package.json: the index and subpaths such
// as @lift/request-signing/dynamo) has a TSDoc comment, and every exported function and every *Options type
// also has an `@example`: editors show these, and they are the reference a newcomer reads first.
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import ts from 'typescript'
import { sourceCompilerOptions } from './support/compiler-options'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const packages = readdirSync(join(root, 'packages')).sort()

/** src/<entry>.ts of every `exports` entry of a package (`.` is src/index.ts). */
function entryFiles(name: string): string[] {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as {
    exports: Record<string, unknown>
  }
  return Object.keys(manifest.exports)
    .filter((key) => key !== './package.json')
    .map((key) => join(root, 'packages', name, 'src', key === '.' ? 'index.ts' : `${key.slice(2)}.ts`))
}

const program = ts.createProgram(packages.flatMap(entryFiles), sourceCompilerOptions(root))
const checker = program.getTypeChecker()

/** What an entry file's exports lack: `name (no TSDoc)` or `name (no @example)`. */
function undocumented(file: string): string[] {
  const source = program.getSourceFile(file)
  if (source === undefined) throw new Error(`${file} is not part of the program`)
  const moduleSymbol = checker.getSymbolAtLocation(source)!
  return checker.getExportsOfModule(moduleSymbol).flatMap((exported) => {
    const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
    const name = exported.getName()
    const documented =
      [exported, symbol].some((s) => s.getDocumentationComment(checker).length > 0) ||
      isDocumentedNamespace(exported)
    if (!documented) return [`${name} (no TSDoc)`]
    const needsExample = isFunction(symbol) || /Options$/.test(name)
    const hasExample = symbol.getJsDocTags(checker).some((tag) => tag.name === 'example')
    return needsExample && !hasExample ? [`${name} (no @example)`] : []
  })
}

/** `export * as name from` carries its comment on the export statement, not on the re-exported module. */
function isDocumentedNamespace(exported: ts.Symbol): boolean {
  return (exported.declarations ?? []).some(
    (declaration) =>
      ts.isNamespaceExport(declaration) && ts.getJSDocCommentsAndTags(declaration.parent).length > 0,
  )
}

function isFunction(symbol: ts.Symbol): boolean {
  if (symbol.flags & ts.SymbolFlags.Function) return true
  return (symbol.declarations ?? []).some(
    (declaration) =>
      ts.isVariableDeclaration(declaration) &&
      declaration.initializer !== undefined &&
      (ts.isArrowFunction(declaration.initializer) || ts.isFunctionExpression(declaration.initializer)),
  )
}

describe('TSDoc on every export of every package entry point', () => {
  it('finds the packages and their entry points', () => {
    expect(packages).toEqual(expect.arrayContaining(['security-core', 'auth-jwt', 'testing']))
    expect(entryFiles('request-signing').map((file) => file.slice(root.length))).toEqual([
      '/packages/request-signing/src/index.ts',
      '/packages/request-signing/src/dynamo.ts',
    ])
  })

  it('sees a missing comment and a missing @example', () => {
    const host = ts.createCompilerHost({})
    const probe = join(root, 'checks', 'probe.ts')
    const text = [
      '/** Documented, with an example.\n * @example\n * ```ts\n * a()\n * ```\n */',
      'export function a() {}',
      '/** Documented, no example. */',
      'export function b() {}',
      'export const c = 1',
      '/** Documented. */',
      'export interface DOptions {}',
    ].join('\n')
    const original = host.getSourceFile
    host.getSourceFile = (fileName, ...rest) =>
      fileName === probe
        ? ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022)
        : original(fileName, ...rest)
    const probeProgram = ts.createProgram([probe], { noEmit: true, types: [] }, host)
    const probeChecker = probeProgram.getTypeChecker()
    const symbol = probeChecker.getSymbolAtLocation(probeProgram.getSourceFile(probe)!)!
    const missing = probeChecker.getExportsOfModule(symbol).flatMap((exported) => {
      if (exported.getDocumentationComment(probeChecker).length === 0)
        return [`${exported.getName()} (no TSDoc)`]
      const needsExample = exported.flags & ts.SymbolFlags.Function || /Options$/.test(exported.getName())
      const hasExample = exported.getJsDocTags(probeChecker).some((tag) => tag.name === 'example')
      return needsExample && !hasExample ? [`${exported.getName()} (no @example)`] : []
    })
    expect(missing).toEqual(['b (no @example)', 'c (no TSDoc)', 'DOptions (no @example)'])
  })

  it.each(packages)('@lift/%s: every export documented, functions and *Options with an @example', (name) => {
    const missing = entryFiles(name).flatMap((file) =>
      undocumented(file).map((entry) => `${file.slice(root.length + 1)}: ${entry}`),
    )
    expect(missing).toEqual([])
  })
})
