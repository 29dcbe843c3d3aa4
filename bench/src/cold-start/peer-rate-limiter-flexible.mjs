// Peer of @lift/rate-limit: rate-limiter-flexible's in-memory and DynamoDB limiters.
export { RateLimiterDynamo, RateLimiterMemory } from 'rate-limiter-flexible'
