// Shared Jest setup for every workspace package: native ESM (so ESM-only deps such as jose and
// Middy 7 load as they are), TypeScript through @swc/jest, @lift/* mapped to sources, and a
// per-package coverage bar.
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = dirname(fileURLToPath(import.meta.url))

/** @param {{ coverage?: { lines?: number, branches?: number, functions?: number, statements?: number }, testTimeout?: number }} [options] */
export function liftJestConfig(options = {}) {
  const coverage = { lines: 90, branches: 90, functions: 90, statements: 90, ...options.coverage }
  return {
    testEnvironment: 'node',
    maxWorkers: 1,
    extensionsToTreatAsEsm: ['.ts'],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
    transform: {
      '^.+\\.ts$': [
        '@swc/jest',
        {
          jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
          module: { type: 'es6' },
          sourceMaps: 'inline',
        },
      ],
    },
    moduleNameMapper: {
      '^@lift/(security-core|auth-jwt|request-signing|health|rate-limit|observability|testing)$': join(
        root,
        'packages/$1/src/index.ts',
      ),
      // Subpath entries (`@lift/request-signing/dynamo`, `@lift/observability/otel`) map to src/<subpath>.ts.
      '^@lift/(security-core|auth-jwt|request-signing|health|rate-limit|observability|testing)/([a-z-]+)$':
        join(root, 'packages/$1/src/$2.ts'),
    },
    testMatch: ['<rootDir>/test/**/*.test.ts'],
    testTimeout: options.testTimeout ?? 20_000,
    // In CI a failing test that leaves a server open must fail the run, not hold Jest open until the
    // CI time limit; locally Jest still waits and reports the open handle.
    forceExit: Boolean(process.env.CI),
    collectCoverage: true,
    coverageProvider: 'v8',
    collectCoverageFrom: ['<rootDir>/src/**/*.ts'],
    coverageReporters: ['text-summary', 'json-summary'],
    coverageThreshold: { global: coverage },
  }
}
