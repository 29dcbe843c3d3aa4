// Peer of @lift/auth-jwt: what a function using aws-jwt-verify imports.
export { JwtVerifier } from 'aws-jwt-verify'
