import { liftJestConfig } from '../../jest.base.mjs'

const config = liftJestConfig({ coverage: { lines: 95, branches: 90 } })

// options.ts and key-source.ts hold type declarations only: nothing in them runs, so nothing to cover.
export default {
  ...config,
  collectCoverageFrom: [
    ...config.collectCoverageFrom,
    '!<rootDir>/src/options.ts',
    '!<rootDir>/src/key-source.ts',
  ],
}
