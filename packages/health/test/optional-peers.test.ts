import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src')
const STATIC_IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'/g
const DYNAMIC_IMPORT = /import\(\s*'([^']+)'\s*\)/g

/** Static and dynamic module specifiers reachable from `entry` through relative imports. */
function reachableImports(entry: string): { static: Set<string>; dynamic: Set<string> } {
  const seen = new Set<string>()
  const found = { static: new Set<string>(), dynamic: new Set<string>() }
  const visit = (file: string): void => {
    if (seen.has(file)) return
    seen.add(file)
    // Without comments: a TSDoc @example imports what the module itself does not.
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '')
    for (const [, specifier] of text.matchAll(DYNAMIC_IMPORT)) found.dynamic.add(specifier!)
    for (const [, specifier] of text.matchAll(STATIC_IMPORT)) {
      if (!specifier!.startsWith('.')) {
        found.static.add(specifier!)
        continue
      }
      const base = join(dirname(file), specifier!)
      const candidate = [`${base}.ts`, join(base, 'index.ts')].find((path) => {
        try {
          readFileSync(path)
          return true
        } catch {
          return false
        }
      })
      if (candidate !== undefined) visit(candidate)
    }
  }
  visit(join(src, entry))
  return found
}

describe('optional peers stay optional', () => {
  it('the entry never imports the AWS SDK at module load; DynamoDB comes in lazily inside the check', () => {
    const imports = reachableImports('index.ts')
    expect([...imports.static].filter((name) => name.startsWith('@aws-sdk'))).toEqual([])
    expect([...imports.static].sort()).toEqual(['@lift/security-core', '@middy/core', 'node:net', 'node:v8'])
    expect([...imports.dynamic]).toEqual(['@aws-sdk/client-dynamodb'])
  })
})
