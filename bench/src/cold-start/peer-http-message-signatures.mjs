// Peer of @lift/request-signing: http-message-signatures' RFC 9421 verifier.
export { createVerifier, httpbis } from 'http-message-signatures'
