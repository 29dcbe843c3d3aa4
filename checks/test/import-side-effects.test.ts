// DESIGN.md, conventions: nothing at import time. Importing a package defines its functions, classes and
// constants and does nothing else, so it costs a cold start no more than its code's evaluation: no hashing,
// no table building, no loops, no computed option lists, no clients. This reads the top level of every
// source file of every published package and refuses a statement that does work.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import ts from 'typescript'

const packagesDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'packages')

/**
 * What a top-level constant may be made with: freezing a literal, an empty collection, a symbol, and the
 * definitions a package exists to export (the `lift:security` channel, an async context, an object slot).
 */
const DEFINING_CALLS = new Set([
  'Object.freeze',
  'Set',
  'Map',
  'WeakMap',
  'WeakSet',
  'Symbol',
  'Symbol.for',
  'channel',
  'AsyncLocalStorage',
  'createObjectSlot',
  // algorithms.ts: `spec(...)` builds one frozen record from literals.
  'spec',
])

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : []
  })
}

/** The top-level statements of a file that do work at import, as `file: text`. */
function importTimeWork(file: string, text = readFileSync(file, 'utf8')): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const report = (node: ts.Node) =>
    found.push(`${relative(packagesDir, file)}: ${node.getText().replace(/\s+/g, ' ').slice(0, 100)}`)
  for (const statement of source.statements) {
    if (
      ts.isFunctionDeclaration(statement) ||
      ts.isClassDeclaration(statement) ||
      ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) ||
      ts.isImportDeclaration(statement) ||
      ts.isExportDeclaration(statement) ||
      ts.isModuleDeclaration(statement) ||
      (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression)) ||
      isPrototypeFreeze(statement)
    ) {
      continue
    }
    if (!ts.isVariableStatement(statement)) {
      report(statement)
      continue
    }
    // Destructuring runs getters and copies; a plain name bound to an expression is checked for calls.
    const working = statement.declarationList.declarations.some(
      (declaration) =>
        !ts.isIdentifier(declaration.name) ||
        (declaration.initializer !== undefined && doesWork(declaration.initializer)),
    )
    if (working) report(statement)
  }
  return found
}

/** `Object.freeze(SomeClass.prototype)`: part of defining that class. */
function isPrototypeFreeze(statement: ts.Statement): boolean {
  if (!ts.isExpressionStatement(statement) || !ts.isCallExpression(statement.expression)) return false
  const { expression: callee, arguments: args } = statement.expression
  return (
    callee.getText() === 'Object.freeze' &&
    args.length === 1 &&
    ts.isPropertyAccessExpression(args[0]!) &&
    args[0].name.text === 'prototype'
  )
}

/** A call (or `new`) other than the defining ones, outside the functions the expression defines. */
function doesWork(expression: ts.Expression): boolean {
  let work = false
  const visit = (node: ts.Node): void => {
    if (work || ts.isArrowFunction(node) || ts.isFunctionExpression(node) || ts.isClassExpression(node))
      return
    if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)) {
      const callee = ts.isTaggedTemplateExpression(node) ? node.tag : node.expression
      if (!DEFINING_CALLS.has(callee.getText())) {
        work = true
        return
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(expression)
  return work
}

const published = readdirSync(packagesDir).filter((name) => name !== 'testing')

describe('importing a Lift package does no work beyond defining its functions', () => {
  it.each(published)('@lift/%s: every top-level statement is a definition', (name) => {
    const work = sourceFiles(join(packagesDir, name, 'src')).flatMap((file) => importTimeWork(file))
    expect(work).toEqual([])
  })

  it('the check sees work: a hash, a loop, a computed list and destructuring at the top level are refused', () => {
    const file = join(packagesDir, 'example', 'src', 'example.ts')
    const text = [
      "const SHA = createHash('sha1').update(SCRIPT).digest('hex')",
      "for (const char of 'ab') TABLE[char.charCodeAt(0)] = 1",
      'const NAMES = Object.fromEntries(LIST.map((name) => [name, true]))',
      'const { a, ...rest } = OPTIONS',
      "const DEFAULTS = Object.freeze({ names: new Set(['b']), read: () => readFileSync('x') })",
      'export function defined() { return createHash("sha1") }',
    ].join('\n')
    expect(importTimeWork(file, text).map((found) => found.slice(0, 33))).toEqual([
      'example/src/example.ts: const SHA',
      'example/src/example.ts: for (cons',
      'example/src/example.ts: const NAM',
      'example/src/example.ts: const { a',
    ])
  })
})
