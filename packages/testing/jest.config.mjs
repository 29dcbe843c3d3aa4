import { liftJestConfig } from '../../jest.base.mjs'

const base = liftJestConfig({ coverage: { lines: 95, branches: 90 } })

// src/dynalite.d.ts only declares the untyped dynalite module: nothing in it can run.
export default { ...base, collectCoverageFrom: [...base.collectCoverageFrom, '!<rootDir>/src/**/*.d.ts'] }
