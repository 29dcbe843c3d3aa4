export { type DynamoNonceStoreOptions, dynamoNonceStore } from './dynamo-nonce-store'
