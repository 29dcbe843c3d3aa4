// Peer of @lift/auth-jwt: fast-jwt's verifier.
export { createVerifier } from 'fast-jwt'
