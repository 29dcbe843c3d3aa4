import { liftJestConfig } from '../../jest.base.mjs'

const config = liftJestConfig({ coverage: { lines: 95, branches: 90 } })

// src/serve.ts is the `pnpm demo` entry script (a thin wrapper around runDemo, which test/demo.test.ts runs).
export default {
  ...config,
  collectCoverageFrom: [...config.collectCoverageFrom, '!<rootDir>/src/serve.ts'],
}
