import { rateLimit } from './rate-limit'

export type { DeniedLimit, LimitStatus } from './algorithms'
export type { DocumentClientLike, DynamoStoreOptions, ToolboxTableLike } from './dynamo-store'
export { dynamoStore, dynamoStoreDefaults } from './dynamo-store'
export type { HeaderOptions } from './headers'
export { policyHeader } from './headers'
export type { RateLimitKey } from './keys'
export type { MemoryStoreOptions } from './memory-store'
export { memoryStore, memoryStoreDefaults } from './memory-store'
export type { RateLimitCost, RateLimitLogger, RateLimitOptions, RateLimitRules } from './options'
export { rateLimitDefaults } from './options'
export { QUOTA_EXCEEDED_TYPE, rateLimit } from './rate-limit'
export type { RateLimitAlgorithm, RateLimitRule, ResolvedRule } from './rules'
export type { ConsumeRequest, ConsumeResult, RateLimitStore } from './store'
export { StoreTimeoutError } from './store-call'

export default rateLimit
