// A handler's result as the HTTP response API Gateway HTTP APIs (payload 2.0) would send for it.

/** The response to write: one entry per header field line. */
export interface LocalResponse {
  readonly statusCode: number
  readonly headers: ReadonlyArray<readonly [name: string, value: string]>
  readonly body: Buffer
}

/** A result API Gateway could not turn into a response (it answers those with an error, as serveLocal does). */
export class InvalidHandlerResult extends Error {
  override readonly name = 'InvalidHandlerResult'
}

// Framing is the server's job: a handler's value for these would contradict the body actually sent.
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive'])

/**
 * Structured results (an object with `statusCode`) map field by field: `headers`, `multiValueHeaders`
 * (whose values win for a name present in both, as API Gateway merges them), `cookies` (one Set-Cookie
 * line each), `body`, `isBase64Encoded`. Anything else is the v2 shorthand: 200, content-type
 * application/json, and the result as body (a string as is, any other value as JSON).
 */
export function toLocalResponse(result: unknown): LocalResponse {
  if (!isStructured(result)) {
    const body = typeof result === 'string' ? result : (JSON.stringify(result) ?? 'null')
    return {
      statusCode: 200,
      headers: [['content-type', 'application/json']],
      body: Buffer.from(body, 'utf8'),
    }
  }
  const { statusCode, body, isBase64Encoded, cookies } = result
  if (
    typeof statusCode !== 'number' ||
    !Number.isInteger(statusCode) ||
    statusCode < 100 ||
    statusCode > 599
  ) {
    throw new InvalidHandlerResult(
      `statusCode must be an integer from 100 to 599 (got ${String(statusCode)})`,
    )
  }
  if (body !== undefined && body !== null && typeof body !== 'string') {
    throw new InvalidHandlerResult(`body must be a string (got ${typeof body})`)
  }
  if (
    cookies !== undefined &&
    (!Array.isArray(cookies) || cookies.some((cookie) => typeof cookie !== 'string'))
  ) {
    throw new InvalidHandlerResult('cookies must be an array of strings')
  }

  const multiValue = headerLines(result.multiValueHeaders, 'multiValueHeaders', true)
  const overridden = new Set(multiValue.map(([name]) => name.toLowerCase()))
  const single = headerLines(result.headers, 'headers', false).filter(
    ([name]) => !overridden.has(name.toLowerCase()),
  )
  const setCookies = ((cookies as string[] | undefined) ?? []).map(
    (cookie) => ['set-cookie', cookie] as const,
  )
  const lines = [...single, ...multiValue, ...setCookies]

  const text = body ?? ''
  return {
    statusCode,
    headers: lines.filter(([name]) => !FRAMING_HEADERS.has(name.toLowerCase())),
    body: isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8'),
  }
}

function isStructured(result: unknown): result is Record<string, unknown> {
  return typeof result === 'object' && result !== null && !Array.isArray(result) && 'statusCode' in result
}

/** Header field lines from `headers` (string, number or boolean values) or `multiValueHeaders` (arrays of them). */
function headerLines(value: unknown, field: string, multiValue: boolean): Array<readonly [string, string]> {
  if (value === undefined || value === null) return []
  if (typeof value !== 'object' || Array.isArray(value))
    throw new InvalidHandlerResult(`${field} must be an object`)
  const lines: Array<readonly [string, string]> = []
  for (const [name, entry] of Object.entries(value)) {
    const values: unknown = multiValue ? entry : [entry]
    if (!Array.isArray(values) || !values.every(isHeaderScalar)) {
      const expected = multiValue ? 'an array of strings, numbers or booleans' : 'a string, number or boolean'
      throw new InvalidHandlerResult(`${field}[${JSON.stringify(name)}] must be ${expected}`)
    }
    for (const item of values) lines.push([name, String(item)])
  }
  return lines
}

function isHeaderScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}
