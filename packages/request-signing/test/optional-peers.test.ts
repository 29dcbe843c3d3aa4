import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src')
const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'/g

/** Every module specifier reachable from `entry` through relative imports (type-only imports included). */
function reachableImports(entry: string): Set<string> {
  const seen = new Set<string>()
  const external = new Set<string>()
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, specifier] of withoutComments(readFileSync(file, 'utf8')).matchAll(IMPORT)) {
      if (specifier === undefined) continue
      if (!specifier.startsWith('.')) {
        external.add(specifier)
        continue
      }
      const base = join(dirname(file), specifier)
      const candidates = [`${base}.ts`, join(base, 'index.ts')]
      const found = candidates.find((candidate) => {
        try {
          readFileSync(candidate)
          return true
        } catch {
          return false
        }
      })
      if (found !== undefined) visit(found)
    }
  }
  visit(join(src, entry))
  return external
}

describe('optional peers stay optional', () => {
  it('the main entry never imports dynamodb-toolbox or the AWS SDK', () => {
    const imports = [...reachableImports('index.ts')]
    expect(
      imports.filter((name) => name.startsWith('dynamodb-toolbox') || name.startsWith('@aws-sdk')),
    ).toEqual([])
    expect(imports).toContain('@lift/security-core')
  })

  it('the dynamo entry is where dynamodb-toolbox comes in', () => {
    expect([...reachableImports('dynamo.ts')]).toContain('dynamodb-toolbox')
  })
})

/** A TSDoc @example imports what the module itself does not. */
function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
}
