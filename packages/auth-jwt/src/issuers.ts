import { assertKnownOptions, type SecretsProvider } from '@lift/security-core'
import { isJwtAlgorithm, isSymmetricAlgorithm, JWT_ALGORITHMS, type JwtAlgorithm } from './algorithms'
import { type ClaimRules, compileClaimRules, normalizeTyp } from './claims'
import { issuerTemplate } from './issuer-template'
import type { JwksSettings } from './jwks-keys'
import { assertNoUnsetKeySource, secretRefOf } from './key-presence'
import type { KeySource } from './key-source'
import { lazyKeySource } from './lazy-key-source'
import { ISSUER_OPTIONS, SECRET_REF_OPTIONS } from './option-names'
import type { IssuerOptions } from './options'
import { type IssuerMapping, rolesReader, scopesReader } from './principal-mapping'
import type { RemoteKeys } from './remote-keys'
import { secureUrl } from './secure-url'
import { publicKeySource, secretKeySource } from './static-keys'

export interface IssuerState extends IssuerMapping {
  /** The `iss` values this state answers for (one, or several spellings of the same issuer). */
  readonly issuers: readonly string[]
  readonly algorithms: ReadonlySet<JwtAlgorithm>
  readonly rules: ClaimRules
  readonly keys: KeySource
  /** For a `{tenantid}` issuer template: matches `iss` and captures the tenant id `tid` must equal. */
  readonly template?: RegExp
  /** For an issuer a resolver answered: epoch ms at which that answer expires (`issuerCache.ttlSec`). */
  readonly resolvedUntilMs?: number
}

export interface IssuerDependencies {
  readonly clockToleranceSec: number
  readonly jwks: JwksSettings
  /** The provider of secretRef issuers: the configured one, else `makeDefault()` once (on first use). */
  readonly secretsProvider: (makeDefault: () => SecretsProvider) => SecretsProvider
  readonly now: () => number
}

const KEY_SOURCES = ['jwksUri', 'discovery', 'publicKey', 'secret', 'secretRef'] as const
const TOKEN_USES: readonly string[] = ['access', 'id']

/**
 * Validates the issuer allow-list and builds one state per issuer, keyed by its exact `iss` (each of them,
 * when it has several spellings). Static keys are imported here, once; JWKS and Secrets Manager are only
 * reached when a token of that issuer arrives, and only then is their code loaded (lazyKeySource). Throws
 * an Error naming the issuer and the problem.
 */
export function buildIssuers(
  issuers: readonly IssuerOptions[],
  deps: IssuerDependencies,
): Map<string, IssuerState> {
  if (!Array.isArray(issuers) || issuers.length === 0) {
    throw new Error(
      'jwtAuth: `issuers` must list at least one issuer (the allow-list of accepted `iss` values)',
    )
  }
  const states = new Map<string, IssuerState>()
  issuers.forEach((options, index) => {
    const state = buildIssuer(options, deps, `issuers[${index}]`)
    for (const iss of state.issuers) {
      if (states.has(iss)) throw new Error(`jwtAuth: issuer "${iss}" is listed twice`)
      states.set(iss, state)
    }
  })
  return states
}

/** Builds the state of one issuer (`path` names it in error messages, e.g. `issuers[0]`). */
export function buildIssuer(options: IssuerOptions, deps: IssuerDependencies, path: string): IssuerState {
  let label = `jwtAuth: ${path}`
  if (typeof options !== 'object' || options === null) throw new Error(`${label} must be an object`)
  assertKnownOptions('jwtAuth', options, ISSUER_OPTIONS, `${path}.`)
  const issuers = [options.issuer].flat()
  if (issuers.length === 0 || !issuers.every(isNonEmptyString)) {
    throw new Error(`${label}.issuer must be a non-empty string (or a non-empty list of spellings)`)
  }
  label = `${label} (${issuers.join(', ')})`
  const algorithms = validateAlgorithms(options.algorithms, label)
  if (typeof options.secretRef === 'object' && options.secretRef !== null) {
    assertKnownOptions('jwtAuth', options.secretRef, SECRET_REF_OPTIONS, `${path}.secretRef.`)
  }
  const requiredClaims = options.requiredClaims ?? []
  if (!Array.isArray(requiredClaims) || !requiredClaims.every((claim) => typeof claim === 'string')) {
    throw new Error(`${label}.requiredClaims must be a list of claim names`)
  }
  if (options.maxTokenAgeSec !== undefined && !isNonNegative(options.maxTokenAgeSec)) {
    throw new Error(`${label}.maxTokenAgeSec must be a non-negative number of seconds`)
  }
  if (options.typ !== undefined && !isNonEmptyString(options.typ)) {
    throw new Error(`${label}.typ must be a non-empty string`)
  }
  if (options.tenantId !== undefined && !isNonEmptyString(options.tenantId)) {
    throw new Error(`${label}.tenantId must be a non-empty string`)
  }
  const rules: ClaimRules = Object.freeze({
    ...audienceRules(options, label),
    requiredClaims: Object.freeze(['exp', 'sub', ...requiredClaims]),
    clockToleranceSec: deps.clockToleranceSec,
    ...(options.claims === undefined
      ? {}
      : { claims: Object.freeze(compileClaimRules(options.claims, label)) }),
    ...(options.typ === undefined ? {} : { typ: normalizeTyp(options.typ) }),
    ...(options.maxTokenAgeSec === undefined ? {} : { maxTokenAgeSec: options.maxTokenAgeSec }),
  })
  const template = issuerTemplate(issuers, label)
  return Object.freeze({
    issuers: Object.freeze(issuers),
    algorithms: new Set(algorithms),
    rules,
    keys: keySource(options, algorithms, deps, label),
    ...(options.tenantId === undefined ? {} : { tenantId: options.tenantId }),
    ...(options.roles === undefined ? {} : { roles: rolesReader(options.roles, `${path}.`) }),
    ...(options.scopes === undefined ? {} : { scopes: scopesReader(options.scopes, `${path}.`) }),
    ...(template === undefined ? {} : { template }),
  })
}

/**
 * The issuer's audience rules: at least one of `audience` (vs `aud`), `clientId` (vs the token's client)
 * and `tokenUse` (vs `token_use`), so that no issuer accepts tokens meant for any API or client.
 */
function audienceRules(
  options: IssuerOptions,
  label: string,
): Pick<ClaimRules, 'audience' | 'clientId' | 'tokenUse'> {
  if (options.audience === undefined && options.clientId === undefined && options.tokenUse === undefined) {
    throw new Error(
      `${label} needs at least one audience rule: audience (vs aud), clientId (vs client_id, azp, appid, or an ID token's aud) or tokenUse (vs token_use)`,
    )
  }
  if (options.tokenUse !== undefined && !TOKEN_USES.includes(options.tokenUse)) {
    throw new Error(`${label}.tokenUse must be 'access' or 'id'`)
  }
  return {
    ...(options.audience === undefined ? {} : { audience: names(options.audience, `${label}.audience`) }),
    ...(options.clientId === undefined ? {} : { clientId: names(options.clientId, `${label}.clientId`) }),
    ...(options.tokenUse === undefined ? {} : { tokenUse: options.tokenUse }),
  }
}

function names(value: string | readonly string[], label: string): readonly string[] {
  const list = [value].flat()
  if (list.length === 0 || !list.every(isNonEmptyString)) {
    throw new Error(`${label} must be a non-empty string or a non-empty list of them`)
  }
  return Object.freeze(list)
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value !== ''
}

function validateAlgorithms(algorithms: unknown, label: string): JwtAlgorithm[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new Error(
      `${label}.algorithms must list the algorithms the issuer signs with (${JWT_ALGORITHMS.join(', ')})`,
    )
  }
  for (const alg of algorithms) {
    if (!isJwtAlgorithm(alg)) {
      throw new Error(
        `${label}.algorithms: "${String(alg)}" is not supported (use ${JWT_ALGORITHMS.join(', ')})`,
      )
    }
  }
  const symmetric = algorithms.filter((alg) => isSymmetricAlgorithm(alg))
  if (symmetric.length !== 0 && symmetric.length !== algorithms.length) {
    throw new Error(`${label}.algorithms mixes HMAC and public-key algorithms; split them into two issuers`)
  }
  return [...new Set(algorithms as JwtAlgorithm[])]
}

function keySource(
  options: IssuerOptions,
  algorithms: readonly JwtAlgorithm[],
  deps: IssuerDependencies,
  label: string,
): KeySource {
  const given = KEY_SOURCES.filter((name) => options[name] !== undefined && options[name] !== false)
  if (given.length === 0) assertNoUnsetKeySource(options, label)
  if (given.length !== 1) {
    throw new Error(
      `${label} needs exactly one of ${KEY_SOURCES.join(', ')}; got ${given.length ? given.join(', ') : 'none'}`,
    )
  }
  const symmetric = isSymmetricAlgorithm(algorithms[0]!)
  const source = given[0]!
  // Named in security events (the first spelling).
  const issuer = [options.issuer].flat()[0]!
  if (symmetric !== (source === 'secret' || source === 'secretRef')) {
    throw new Error(
      symmetric
        ? `${label}: HMAC algorithms need a secret or secretRef, not ${source}`
        : `${label}: public-key algorithms need jwksUri or publicKey (or discovery: true), not ${source}`,
    )
  }
  switch (source) {
    case 'jwksUri':
      return remoteKeys({ jwksUri: validUrl(options.jwksUri, `${label}.jwksUri`) }, deps, issuer)
    case 'discovery': {
      // The document of the first spelling must name exactly that spelling.
      if (options.discovery !== true) throw new Error(`${label}.discovery must be true (or left out)`)
      if (issuer.includes('{')) throw new Error(`${label}: an issuer template cannot use discovery`)
      validUrl(issuer, `${label}.issuer (with discovery)`)
      return remoteKeys({ discovery: issuer }, deps, issuer)
    }
    case 'publicKey':
      return publicKeySource(options.publicKey!, algorithms, label)
    case 'secret':
      return secretKeySource(options.secret!, algorithms, label)
    default: {
      const ref = secretRefOf(options.secretRef, label)
      return lazyKeySource(() =>
        import('./secret-ref-keys').then((module) =>
          module.secretRefKeySource(ref, algorithms, deps.secretsProvider, label),
        ),
      )
    }
  }
}

function remoteKeys(where: RemoteKeys, deps: IssuerDependencies, issuer: string): KeySource {
  return lazyKeySource(() =>
    import('./remote-keys').then((module) => module.remoteKeySource(where, deps.jwks, deps.now, issuer)),
  )
}

function validUrl(value: unknown, label: string): string {
  if (!URL.canParse(String(value))) throw new Error(`${label} is not a valid URL`)
  const url = secureUrl(String(value))
  if (url === undefined)
    throw new Error(`${label} must use https (plain http is accepted for localhost only)`)
  return url
}

export function isNonNegative(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
