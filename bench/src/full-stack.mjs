// Every Lift middleware with @middy/core, imported as a function using the whole stack would import them:
// cold-start.ts measures this module like a package (import time and esbuild-minified bundle size).

export { default as middy } from '@middy/core'
export * as authJwt from '../../packages/auth-jwt/dist/index.js'
export * as health from '../../packages/health/dist/index.js'
export * as observability from '../../packages/observability/dist/index.js'
export * as rateLimit from '../../packages/rate-limit/dist/index.js'
export * as requestSigning from '../../packages/request-signing/dist/index.js'
export * as securityCore from '../../packages/security-core/dist/index.js'
