/** Environment variables the function reads (template.yaml sets exactly these). */
export const ENVIRONMENT = Object.freeze([
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWKS_URI',
  'RATE_LIMIT_TABLE_NAME',
] as const)

export type Environment = Record<(typeof ENVIRONMENT)[number], string>

/** The named variables, each required and non-empty; a missing one fails the cold start with its name. */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): Environment {
  const missing = ENVIRONMENT.filter((name) => !env[name])
  if (missing.length > 0) throw new Error(`Missing environment variables: ${missing.join(', ')}`)
  return Object.fromEntries(ENVIRONMENT.map((name) => [name, env[name]])) as Environment
}
