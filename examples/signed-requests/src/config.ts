/** Environment variables the caller function reads (template.yaml sets exactly these). */
export const CALLER_ENVIRONMENT = Object.freeze([
  'SIGNING_SECRET_ID',
  'SIGNING_KEY_ID',
  'CALLEE_URL',
] as const)

/** Environment variables the callee function reads (template.yaml sets exactly these). */
export const CALLEE_ENVIRONMENT = Object.freeze([
  'SIGNING_SECRET_ID',
  'SIGNING_KEY_ID',
  'NONCE_TABLE_NAME',
] as const)

/** The named variables, each required and non-empty; a missing one fails the cold start with its name. */
export function readEnvironment<Name extends string>(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly Name[],
): Record<Name, string> {
  const missing = names.filter((name) => !env[name])
  if (missing.length > 0) throw new Error(`Missing environment variables: ${missing.join(', ')}`)
  return Object.fromEntries(names.map((name) => [name, env[name]])) as Record<Name, string>
}
