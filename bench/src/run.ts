// `pnpm bench [name]`: runs every src/benches/*.ts (or the one named) and the cold-start measurement, each
// in a fresh Node process, then regenerates docs/performance.md from bench/results/*.json.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { reportPath, writeReport } from './report'

const srcDir = dirname(fileURLToPath(import.meta.url))
const benchesDir = join(srcDir, 'benches')

const available = [
  ...readdirSync(benchesDir)
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => ({ name: basename(file, '.ts'), file: join(benchesDir, file) })),
  { name: 'cold-start', file: join(srcDir, 'cold-start.ts') },
]

const wanted = process.argv[2]
const selected = wanted ? available.filter((entry) => entry.name === wanted) : available
if (selected.length === 0) {
  console.error(`No bench named "${wanted}". Available: ${available.map((entry) => entry.name).join(', ')}`)
  process.exit(2)
}

const failed: string[] = []
for (const entry of selected) {
  console.log(`\n▶ ${entry.name}`)
  // --expose-gc: mitata collects garbage between cases with it (without it, it allocates 1 GiB instead).
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', entry.file], {
    stdio: 'inherit',
    cwd: join(srcDir, '..'),
  })
  if (child.status !== 0) failed.push(`${entry.name} (exit ${child.status ?? child.signal})`)
}

// A failed bench keeps its previous results file: the page is not rewritten from a mix of old and new figures.
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}; ${reportPath} not updated`)
  process.exit(1)
}
writeReport()
console.log(`\nwrote ${reportPath}`)
