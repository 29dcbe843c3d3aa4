export { EARLY_RESPONSE_CLEANUP_KEYS, respondEarly } from './early-response'
export type { LiftHttpErrorOptions, ProblemDetails, ProblemHttpResponse } from './errors'
export { isLiftHttpError, LiftHttpError, PROBLEM_CONTENT_TYPE, problemResponse } from './errors'
export { isExecuteApiHost } from './execute-api-host'
export type { HttpEventSource, HttpRequestView } from './http-request-view'
export { httpRequestView, isHttpEvent } from './http-request-view'
export { assertKnownOptions } from './known-options'
export type { ObjectSlot } from './object-slot'
export { createObjectSlot } from './object-slot'
export type { AuthMethod, LiftContext, Principal, RequestWithContext } from './principal'
export { createPrincipal, getPrincipal, requirePrincipal, setPrincipal } from './principal'
export type { SecretsManagerClientLike } from './secrets-manager-sdk'
export type { SecretGetOptions, SecretsProvider, SecretsProviderOptions } from './secrets-provider'
export { createSecretsProvider, secretsProviderDefaults } from './secrets-provider'
export type { SecretsProviderErrorCode } from './secrets-provider-error'
export { SecretsProviderError } from './secrets-provider-error'
export type { SecurityEvent, SecurityEventListener, SecurityEventType } from './security-events'
export {
  publishSecurityEvent,
  SECURITY_EVENTS_CHANNEL,
  securityEvents,
  subscribeSecurityEvents,
} from './security-events'
export { timingSafeEqual } from './timing-safe-equal'
export type { TtlLruCacheOptions } from './ttl-lru-cache'
export { TtlLruCache } from './ttl-lru-cache'
