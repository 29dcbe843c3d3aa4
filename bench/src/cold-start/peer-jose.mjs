// Peer of @lift/auth-jwt: jose's verify and remote JWKS, what a function using jose imports.
export { createRemoteJWKSet, jwtVerify } from 'jose'
