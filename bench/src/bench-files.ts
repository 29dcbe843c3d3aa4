import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const srcDir = dirname(fileURLToPath(import.meta.url))
const benchesDir = join(srcDir, 'benches')

export interface BenchFile {
  name: string
  file: string
}

/** src/benches/*.ts, sorted by name. */
export function benchFiles(): BenchFile[] {
  return readdirSync(benchesDir)
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => ({ name: basename(file, '.ts'), file: join(benchesDir, file) }))
}

export const coldStartFile: BenchFile = { name: 'cold-start', file: join(srcDir, 'cold-start.ts') }

/** Runs one bench file in a fresh Node process; returns undefined on success, else why it failed. */
export function runBenchFile(entry: BenchFile, env: Record<string, string> = {}): string | undefined {
  // --expose-gc: mitata collects garbage between cases with it (without it, it allocates 1 GiB instead).
  const child = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', entry.file], {
    stdio: 'inherit',
    cwd: join(srcDir, '..'),
    env: { ...process.env, ...env },
  })
  return child.status === 0 ? undefined : `${entry.name} (exit ${child.status ?? child.signal})`
}
