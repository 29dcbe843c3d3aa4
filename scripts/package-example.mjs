#!/usr/bin/env node
// Builds the deployable artifact of the example in the current directory: `pnpm --filter <example> package`.
// The bundling lives in examples/secure-crud-api/scripts/package.mjs (the flagship carries its own, so that
// it can be copied out of the repository); see there for the convention template.yaml must follow.
import { packageExample } from '../examples/secure-crud-api/scripts/package.mjs'

await packageExample(process.cwd())
