#!/usr/bin/env node
// The repository's commands need Node.js 22 or later (Middy 7 and the AWS SDK do; Lambda runs 22 and 24).
// `node scripts/require-node.mjs` stops an older Node.js at once, naming the command that runs the same
// thing on Node.js 22. `node scripts/require-node.mjs <script>` runs `pnpm run <script>`: here when this
// Node.js meets the floor, else on Node.js 22 fetched by npx, so the README's commands work on any machine
// with Node.js and npm.
import { spawnSync } from 'node:child_process'

const FLOOR = 22
const major = Number(process.versions.node.split('.')[0])
const script = process.argv[2]
const onFloor = `npx -y -p node@${FLOOR} -c "pnpm run ${script ?? process.env.npm_lifecycle_event ?? 'test'}"`

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' })
  if (result.error) throw result.error
  process.exit(result.status ?? 1)
}

if (script === undefined) {
  if (major < FLOOR) {
    console.error(
      [
        `Lift needs Node.js ${FLOOR} or later; this is Node.js ${process.versions.node}.`,
        `Install Node.js ${FLOOR} or 24, or run this once on Node.js ${FLOOR} without installing it:`,
        `  ${onFloor}`,
      ].join('\n'),
    )
    process.exit(1)
  }
} else if (major >= FLOOR) {
  run('pnpm', ['run', script])
} else {
  console.error(`Lift needs Node.js ${FLOOR} or later; this is ${process.versions.node}. Running: ${onFloor}`)
  run('npx', ['-y', '-p', `node@${FLOOR}`, '-c', `pnpm run ${script}`])
}
