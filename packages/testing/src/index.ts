export type { AlbEventInit } from './alb-event'
export { albEvent, TEST_TARGET_GROUP_ARN } from './alb-event'
export type {
  HttpApiAuthorizerEventInit,
  RestTokenAuthorizerEventInit,
} from './api-gateway-authorizer-events'
export {
  httpApiAuthorizerEvent,
  httpApiJwtAuthorizer,
  httpApiLambdaAuthorizer,
  restLambdaAuthorizer,
  restRequestAuthorizerEvent,
  restTokenAuthorizerEvent,
} from './api-gateway-authorizer-events'
export type { ApiGatewayV1EventInit } from './api-gateway-v1-event'
export { apiGatewayV1Event, TEST_API_ID } from './api-gateway-v1-event'
export { apiGatewayV2Event } from './api-gateway-v2-event'
export { TEST_ACCOUNT_ID, TEST_REGION } from './aws-ids'
export type { KeyAttribute, LocalDynamoDb, SimpleTableDefinition, StartDynamoDbOptions } from './dynamodb'
export { startDynamoDb } from './dynamodb'
export type { EventBridgeEventInit } from './eventbridge-event'
export { eventBridgeEvent, TEST_SCHEDULE_RULE_ARN } from './eventbridge-event'
export type { FunctionUrlEventInit } from './function-url-event'
export { functionUrlEvent, TEST_FUNCTION_URL_ID } from './function-url-event'
export type { FieldValues, HttpEventInit } from './http-event-init'
export type { LambdaContextInit } from './lambda-context'
export { lambdaContext } from './lambda-context'
export type { IamStatement, SamResource, SamTemplate } from './sam-template'
export { iamStatements, readSamTemplate, resourcesOfType } from './sam-template'
export type {
  ReceivedSecretRequest,
  ScriptedFailure,
  ScriptedResponse,
  SecretsManagerServer,
} from './secrets-manager-server'
export { startSecretsManagerServer } from './secrets-manager-server'
export type { LocalHandler, LocalServer, ServeLocalOptions } from './serve-local'
export { serveLocal, serveLocalDefaults } from './serve-local'
export type {
  SignableTestRequest,
  SignedTestEventInit,
  SignedTestEventOptions,
  TestRequestSigner,
} from './signed-test-event'
export { signedTestEvent } from './signed-test-event'
export type { SqsEventInit, SqsRecordInit } from './sqs-event'
export { md5OfMessageAttributes, sqsEvent, TEST_QUEUE_ARN } from './sqs-event'
export type {
  AsymmetricAlgorithm,
  AsymmetricTestIssuer,
  HmacAlgorithm,
  RotateOptions,
  SymmetricTestIssuer,
  TestIssuer,
  TestIssuerAlgorithm,
  TestIssuerOptions,
  TokenOptions,
} from './test-issuer'
export { createTestIssuer } from './test-issuer'
export type { LocalValkey, StartValkeyOptions } from './valkey'
export { startValkey } from './valkey'
