// Every code block in the docs compiles (TypeScript) or parses (JSON, YAML), so that no example goes stale.
// TypeScript blocks are type-checked as ES modules against the packages' sources, each on its own, with
// the ambient names in support/docs-prelude.d.ts (`handler`, `event`…) that fragments may use.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import ts from 'typescript'
import { parseAllDocuments } from 'yaml'
import { sourceCompilerOptions } from './support/compiler-options'
import { type CodeBlock, codeBlocks, documentationFiles } from './support/markdown-code-blocks'

const checksDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const root = join(checksDir, '..')
const blocks = documentationFiles(root).flatMap((file) => codeBlocks(root, file))
const TYPESCRIPT = new Set(['ts', 'typescript'])
// Shell commands, HTTP exchanges and plain text are read, not compiled.
const NOT_CODE = new Set(['sh', 'bash', 'shell', 'console', 'http', 'text', 'txt', ''])

const where = (block: CodeBlock) => `${block.file}:${block.line}`

describe('code blocks in the documentation', () => {
  it('finds the documentation and its TypeScript examples', () => {
    expect(blocks.filter((block) => TYPESCRIPT.has(block.lang)).length).toBeGreaterThan(20)
  })

  it('uses only languages this test knows', () => {
    // js: copies of the consumer handlers the packed-tarball test runs (release-path.test.ts checks that).
    const known = new Set([...TYPESCRIPT, ...NOT_CODE, 'json', 'yaml', 'yml', 'js'])
    expect(blocks.filter((block) => !known.has(block.lang)).map((b) => `${where(b)} (${b.lang})`)).toEqual([])
  })

  it('every TypeScript block type-checks', () => {
    const workDir = join(checksDir, '.work', 'docs')
    rmSync(workDir, { recursive: true, force: true })
    mkdirSync(workDir, { recursive: true })
    const files = new Map<string, CodeBlock>()
    blocks
      .filter((block) => TYPESCRIPT.has(block.lang))
      .forEach((block, index) => {
        const path = join(workDir, `block-${index}.ts`)
        writeFileSync(path, `${block.code}\nexport {}\n`)
        files.set(path, block)
      })
    const program = ts.createProgram(
      [...files.keys(), join(checksDir, 'test/support/docs-prelude.d.ts')],
      sourceCompilerOptions(root),
    )
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && files.has(diagnostic.file.fileName))
      .map((diagnostic) => {
        const block = files.get(diagnostic.file!.fileName)!
        const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
        const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')
        return `${block.file}:${block.line + 1 + line}: ${message}`
      })
    expect(problems).toEqual([])
  })

  it('every JSON block parses', () => {
    const invalid = blocks
      .filter((block) => block.lang === 'json')
      .filter((block) => {
        try {
          JSON.parse(block.code)
          return false
        } catch {
          return true
        }
      })
    expect(invalid.map(where)).toEqual([])
  })

  it('every YAML block parses', () => {
    const invalid = blocks
      .filter((block) => block.lang === 'yaml' || block.lang === 'yml')
      .filter((block) =>
        parseAllDocuments(block.code, { customTags: cloudFormationTags }).some(
          (document) => 'errors' in document && document.errors.length > 0,
        ),
      )
    expect(invalid.map(where)).toEqual([])
  })
})

// AWS SAM templates use CloudFormation's short-form intrinsics (!Ref, !Sub, !GetAtt…).
const cloudFormationTags = [
  'Ref',
  'Sub',
  'GetAtt',
  'Join',
  'If',
  'Equals',
  'Not',
  'Select',
  'Split',
  'FindInMap',
  'ImportValue',
  'Condition',
  'Base64',
  'Cidr',
  'GetAZs',
  'And',
  'Or',
].flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((collection) => ({
    tag: `!${name}`,
    ...(collection === 'scalar' ? {} : { collection }),
    resolve: (value: unknown) => value,
  })),
)
