/** Writes one log line (a JSON string). */
export type LogLine = (line: string) => void

export interface ErrorSummary {
  name?: unknown
  statusCode?: unknown
  code?: unknown
}

/**
 * A logger for @middy/http-error-handler that writes one JSON line per failed request with the error's
 * name, status and problem code only: never its message, stack or cause, which may hold request data.
 */
export function errorSummaryLogger(write: LogLine = (line) => console.error(line)): (error: unknown) => void {
  return (error) => {
    const { name, statusCode, code } = (
      typeof error === 'object' && error !== null ? error : {}
    ) as ErrorSummary
    const status = typeof statusCode === 'number' ? statusCode : 500
    write(
      JSON.stringify({
        level: status >= 500 ? 'error' : 'warn',
        message: 'request failed',
        error: typeof name === 'string' ? name : 'Unknown',
        status,
        code: typeof code === 'string' ? code : undefined,
      }),
    )
  }
}
