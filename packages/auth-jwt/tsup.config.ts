import { liftTsupConfig } from '../../tsup.base'

// Code splitting in the CommonJS build too (as in the ESM one): the modules loaded with import() on first
// use (the JWKS key source, secretRef, the issuer resolver) become chunks of their own, required when used.
export default liftTsupConfig(['src/index.ts'], { splitting: true })
