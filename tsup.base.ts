import { defineConfig, type Options } from 'tsup'

/** The build every Lift package shares: ESM + CommonJS with type declarations for both, for Node 22+. */
export function liftTsupConfig(entry: Options['entry'] = ['src/index.ts'], overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    platform: 'node',
    ...overrides,
  })
}
