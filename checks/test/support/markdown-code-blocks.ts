import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

export interface CodeBlock {
  /** Markdown file, relative to the repository root. */
  file: string
  /** 1-based line of the opening fence. */
  line: number
  /** The fence's info string, first word (`ts`, `json`, `sh`…); '' when absent. */
  lang: string
  code: string
}

/**
 * The Markdown a user reads: the root README, CONTRIBUTING.md and SECURITY.md, docs/, and the README of every
 * package and example.
 */
export function documentationFiles(root: string): string[] {
  const readmes = (dir: string) =>
    readdirSync(join(root, dir), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, dir, entry.name, 'README.md'))
  const docs = readdirSync(join(root, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(root, 'docs', name))
  return [
    join(root, 'README.md'),
    join(root, 'CONTRIBUTING.md'),
    join(root, 'SECURITY.md'),
    ...docs,
    ...readmes('packages'),
    ...readmes('examples'),
  ]
    .filter((file) => {
      try {
        readFileSync(file)
        return true
      } catch {
        return false
      }
    })
    .sort()
}

/** Fenced code blocks (``` or ~~~, any length of three or more) with their position. */
export function codeBlocks(root: string, file: string): CodeBlock[] {
  const lines = readFileSync(file, 'utf8').split('\n')
  const blocks: CodeBlock[] = []
  let open: { fence: string; line: number; lang: string; body: string[] } | undefined
  lines.forEach((text, index) => {
    if (open) {
      if (text.trim().startsWith(open.fence) && text.trim().replace(/[`~]/g, '') === '') {
        blocks.push({
          file: relative(root, file),
          line: open.line,
          lang: open.lang,
          code: open.body.join('\n'),
        })
        open = undefined
      } else open.body.push(text)
      return
    }
    const fence = /^\s*(`{3,}|~{3,})\s*([\w-]*)/.exec(text)
    if (fence) open = { fence: fence[1]!, line: index + 1, lang: fence[2]!.toLowerCase(), body: [] }
  })
  return blocks
}
