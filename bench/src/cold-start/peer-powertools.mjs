// Peer of @lift/observability: the Powertools logger, metrics and tracer with their Middy middlewares.
export { Logger } from '@aws-lambda-powertools/logger'
export { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware'
export { Metrics } from '@aws-lambda-powertools/metrics'
export { logMetrics } from '@aws-lambda-powertools/metrics/middleware'
export { Tracer } from '@aws-lambda-powertools/tracer'
export { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware'
