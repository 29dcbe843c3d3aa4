// The load test in its short form (CI): 600 requests of mixed reads and writes from six principals of two
// tenants. `pnpm load` runs the same thing longer and harder and writes the figures to docs/performance.md.
import { expect, it } from '@jest/globals'
import { runLoad } from '../src/load-test'

it('holds under concurrent load: no 5xx, no lost or duplicated write, exact rate limits, one audit record per decision', async () => {
  const report = await runLoad({ amount: 600, connections: 24 })
  expect(report.requests).toBe(600)
  expect(report.serverErrors).toBe(0)
  expect(report.storeErrors).toBe(0)
  expect(report.createsAnswered).toBeGreaterThan(10)
  expect(report.lostWrites).toBe(0)
  expect(report.duplicatedWrites).toBe(0)
  expect(report.itemsStored).toBe(report.createsAnswered)
  // The free readers send more than their burst, so each one is limited, and exactly.
  for (const principal of report.principals.filter((p) => p.plan === 'free'))
    expect(principal.limited).toBeGreaterThan(0)
  expect(report.principals.map((p) => p.admitted)).toEqual(report.principals.map((p) => p.expectedAdmitted))
  expect(report.rateLimitsExact).toBe(true)
  expect(Object.keys(report.statuses).sort()).toEqual(['200', '201', '429'])
  // One audit record per security decision, none lost or doubled under concurrency.
  expect(report.auditRecords).toBe(report.expectedAuditRecords)
}, 60_000)
