import { liftTsupConfig } from '../../tsup.base'

export default liftTsupConfig(['src/index.ts', 'src/otel.ts'])
