import { liftJestConfig } from '../../jest.base.mjs'

const config = liftJestConfig({ coverage: { lines: 95, branches: 90 } })

export default { ...config, setupFilesAfterEnv: ['<rootDir>/test/support/stop-listening.ts'] }
