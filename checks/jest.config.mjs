import { liftJestConfig } from '../jest.base.mjs'

// These suites check the repository (packed packages, docs), not code of their own: nothing to cover.
// Installing packed packages with npm takes a while on a cold cache, hence the longer timeout.
export default {
  ...liftJestConfig({ testTimeout: 300_000 }),
  collectCoverage: false,
  coverageThreshold: undefined,
}
