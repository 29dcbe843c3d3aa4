import { liftJestConfig } from '../../jest.base.mjs'

export default liftJestConfig({ coverage: { lines: 95, branches: 90 } })
