// `pnpm bench [name]`: runs every src/benches/*.ts (or the one named) and the cold-start measurement, each
// in a fresh Node process, then regenerates docs/performance.md from bench/results/*.json.
import { benchFiles, coldStartFile, runBenchFile } from './bench-files'
import { reportPath, writeReport } from './report'

const available = [...benchFiles(), coldStartFile]
const wanted = process.argv[2]
const selected = wanted ? available.filter((entry) => entry.name === wanted) : available
if (selected.length === 0) {
  console.error(`No bench named "${wanted}". Available: ${available.map((entry) => entry.name).join(', ')}`)
  process.exit(2)
}

const started = Date.now()
const failed: string[] = []
for (const entry of selected) {
  console.log(`\n▶ ${entry.name}`)
  const failure = runBenchFile(entry)
  if (failure) failed.push(failure)
}

// A failed bench keeps its previous results file: the page is not rewritten from a mix of old and new figures.
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}; ${reportPath} not updated`)
  process.exit(1)
}
writeReport()
console.log(`\nwrote ${reportPath} (${((Date.now() - started) / 60_000).toFixed(1)} min)`)
