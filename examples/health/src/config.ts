/** Environment variables both functions read (template.yaml sets exactly these). */
export const HEALTH_ENVIRONMENT = Object.freeze([
  'TABLE_NAME',
  'HEALTH_SECRET_ID',
  'UPSTREAM_URL',
  'SERVICE_VERSION',
] as const)

export type HealthEnvironment = Record<(typeof HEALTH_ENVIRONMENT)[number], string>

/** Every variable required and non-empty; a missing one fails the cold start with its name. */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): HealthEnvironment {
  const missing = HEALTH_ENVIRONMENT.filter((name) => !env[name])
  if (missing.length > 0) throw new Error(`Missing environment variables: ${missing.join(', ')}`)
  return Object.fromEntries(HEALTH_ENVIRONMENT.map((name) => [name, env[name]])) as HealthEnvironment
}
