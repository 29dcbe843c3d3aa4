// HTTP API route keys (`GET /items/{id}`, `ANY /files/{proxy+}`, `$default`) and the selection
// API Gateway makes: an exact method beats ANY, literal segments beat variables, a greedy variable
// comes last, and `$default` only when nothing else matches.

export interface RouteMatch {
  readonly routeKey: string
  readonly pathParameters: Readonly<Record<string, string>> | undefined
}

interface Route {
  readonly key: string
  readonly method: string
  readonly segments: readonly Segment[]
}

type Segment =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'variable'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string }

const ROUTE_KEY = /^(ANY|GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (\/\S*)$/

/** Parses and checks route keys once; a malformed key throws with the key in the message. */
export function compileRoutes(
  routeKeys: readonly string[],
): (method: string, path: string) => RouteMatch | undefined {
  const hasDefault = routeKeys.includes('$default')
  const routes = routeKeys.filter((key) => key !== '$default').map(parseRoute)
  return (method, path) => {
    const segments = splitPath(path)
    let best: { route: Route; parameters: Record<string, string>; score: number[] } | undefined
    for (const route of routes) {
      if (route.method !== 'ANY' && route.method !== method) continue
      const parameters = matchSegments(route.segments, segments)
      if (!parameters) continue
      const score = specificity(route)
      if (!best || compareScores(score, best.score) > 0) best = { route, parameters, score }
    }
    if (best) {
      const hasParameters = Object.keys(best.parameters).length > 0
      return { routeKey: best.route.key, pathParameters: hasParameters ? best.parameters : undefined }
    }
    return hasDefault ? { routeKey: '$default', pathParameters: undefined } : undefined
  }
}

function parseRoute(key: string): Route {
  const match = ROUTE_KEY.exec(key)
  if (!match) {
    throw new TypeError(
      `serveLocal: route ${JSON.stringify(key)} must look like 'GET /items/{id}', 'ANY /{proxy+}' or '$default'`,
    )
  }
  const segments = splitPath(match[2]!).map((segment, index, all): Segment => {
    const variable = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/.exec(segment)
    if (!variable) return { kind: 'literal', value: segment }
    if (variable[2] === '+' && index !== all.length - 1) {
      throw new TypeError(
        `serveLocal: route ${JSON.stringify(key)} has a greedy variable that is not the last segment`,
      )
    }
    return variable[2] === '+'
      ? { kind: 'greedy', name: variable[1]! }
      : { kind: 'variable', name: variable[1]! }
  })
  return { key, method: match[1]!, segments }
}

function splitPath(path: string): string[] {
  return path.split('/').slice(1)
}

function matchSegments(
  route: readonly Segment[],
  path: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {}
  for (const [index, segment] of route.entries()) {
    if (segment.kind === 'greedy') {
      const rest = path.slice(index).join('/')
      if (rest === '') return undefined
      parameters[segment.name] = decode(rest)
      return parameters
    }
    const value = path[index]
    if (value === undefined) return undefined
    if (segment.kind === 'literal') {
      if (value !== segment.value) return undefined
    } else {
      if (value === '') return undefined
      parameters[segment.name] = decode(value)
    }
  }
  return route.length === path.length ? parameters : undefined
}

/** Greedy last, then more literal segments (earlier ones weigh more), then an exact method over ANY. */
function specificity(route: Route): number[] {
  const greedy = route.segments.some((segment) => segment.kind === 'greedy')
  return [
    greedy ? 0 : 1,
    ...route.segments.map((segment) => (segment.kind === 'literal' ? 1 : 0)),
    route.method === 'ANY' ? 0 : 1,
  ]
}

function compareScores(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0)
    if (difference !== 0) return difference
  }
  return 0
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}
