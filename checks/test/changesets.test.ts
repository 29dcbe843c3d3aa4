// Pending changesets must be readable by `changeset version`: front matter of `"<package>": <bump>` lines
// naming packages of this workspace. (A Markdown formatter once turned such a line into a heading, and the
// release silently skipped the package.)
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const changesetDir = join(root, '.changeset')
const changesets = readdirSync(changesetDir).filter((name) => name.endsWith('.md') && name !== 'README.md')
const workspacePackages = new Set(
  readdirSync(join(root, 'packages')).map(
    (name) => JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')).name as string,
  ),
)

describe('changesets', () => {
  it('there are pending changesets to check', () => {
    expect(changesets.length).toBeGreaterThan(0)
  })

  it.each(changesets)('%s has valid front matter and a description', (name) => {
    const text = readFileSync(join(changesetDir, name), 'utf8')
    const match = /^---\n([\s\S]*?)\n---\n+([\s\S]+)$/.exec(text)
    expect(match).not.toBeNull()
    const releases = match![1]!.split('\n').filter((line) => line.trim() !== '')
    expect(releases.length).toBeGreaterThan(0)
    for (const line of releases) {
      const release = /^"(@lift\/[a-z-]+)": (patch|minor|major)$/.exec(line)
      expect({ line, valid: release !== null }).toEqual({ line, valid: true })
      expect(workspacePackages.has(release![1]!)).toBe(true)
    }
    expect(match![2]!.trim().length).toBeGreaterThan(20)
  })
})
