// Native ESM (so ESM-only dependencies such as jose and Middy 7 load as they are), TypeScript through
// @swc/jest. Self-contained, so that the folder works copied out of the Lift repository: @lift/* resolve
// through node_modules, like any dependency (in the repository, to the packages' builds).
const swc = {
  jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  module: { type: 'es6' },
  sourceMaps: 'inline',
}

export default {
  testEnvironment: 'node',
  maxWorkers: 1,
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  testTimeout: 20_000,
  // In CI a failing test that leaves a server open must fail the run, not hold Jest open until the CI time
  // limit; locally Jest still waits and reports the open handle.
  forceExit: Boolean(process.env.CI),
  collectCoverage: true,
  coverageProvider: 'v8',
  // src/serve.ts is the `npm run demo` entry script (a thin wrapper around runDemo, which test/demo.test.ts runs).
  collectCoverageFrom: ['<rootDir>/src/**/*.ts', '!<rootDir>/src/serve.ts'],
  coverageReporters: ['text-summary', 'json-summary'],
  coverageThreshold: { global: { lines: 95, branches: 90, functions: 90, statements: 90 } },
}
