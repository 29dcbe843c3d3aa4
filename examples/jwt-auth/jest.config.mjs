import { liftJestConfig } from '../../jest.base.mjs'

const config = liftJestConfig({ coverage: { lines: 95, branches: 90 } })

// src/serve.ts is the `pnpm demo` entry script: test/serve.test.ts runs it in a child process, where Jest
// cannot collect its coverage.
export default { ...config, collectCoverageFrom: [...config.collectCoverageFrom, '!<rootDir>/src/serve.ts'] }
