import { liftJestConfig } from '../jest.base.mjs'

// Only the pure logic is unit-tested (statistics, bench:check's ratio checks); the benches themselves are
// measurements, run by `pnpm bench`, and are not covered.
export default {
  ...liftJestConfig({ coverage: { lines: 95, branches: 90, functions: 95, statements: 95 } }),
  collectCoverageFrom: ['<rootDir>/src/check-ratios.ts', '<rootDir>/src/stats.ts'],
}
