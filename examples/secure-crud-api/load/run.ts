// `npm run load`: the load test in full (30,000 requests at 64 connections, or LOAD_AMOUNT / LOAD_CONNECTIONS),
// its figures written to LOAD_RESULT (default load/result.json). `pnpm load` at the root of the Lift repository
// writes them to bench/results/load.json and regenerates docs/performance.md from them.
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runLoad } from '../src/load-test'

const amount = Number(process.env.LOAD_AMOUNT ?? 30_000)
const connections = Number(process.env.LOAD_CONNECTIONS ?? 64)
const resultFile = resolve(
  process.env.LOAD_RESULT ?? join(dirname(fileURLToPath(import.meta.url)), 'result.json'),
)

console.log(
  `load: ${amount} requests, ${connections} connections, against serveLocal + dynalite on 127.0.0.1 …`,
)
const report = await runLoad({ amount, connections })
const failures = [
  report.serverErrors > 0 && `${report.serverErrors} 5xx`,
  report.lostWrites > 0 && `${report.lostWrites} lost writes`,
  report.duplicatedWrites > 0 && `${report.duplicatedWrites} duplicated writes`,
  !report.rateLimitsExact && 'rate limits not exact',
  report.storeErrors > 0 && `${report.storeErrors} rate-limit decisions without the store`,
  report.auditRecords !== report.expectedAuditRecords &&
    `${report.auditRecords} audit records for ${report.expectedAuditRecords} decisions`,
].filter(Boolean)

const result = {
  name: 'load',
  description:
    'examples/secure-crud-api under load: mixed reads and writes (creates with Idempotency-Key) from six principals of ' +
    'two tenants through the whole stack, served by serveLocal with dynalite on the same machine (autocannon).',
  date: new Date().toISOString(),
  node: process.version,
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  ...report,
}
mkdirSync(dirname(resultFile), { recursive: true })
writeFileSync(resultFile, `${JSON.stringify(result, null, 2)}\n`)
console.log(JSON.stringify({ ...report, principals: undefined }, null, 2))
console.log(`wrote ${relative(process.env.INIT_CWD ?? process.cwd(), resultFile)}`)
if (failures.length > 0) {
  console.error(`load test FAILED: ${failures.join(', ')}`)
  process.exit(1)
}
