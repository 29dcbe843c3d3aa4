import { HEALTH_CONTENT_TYPE, type HealthStatus } from './health-report'

/** The HTTP response `healthCheck()` answers with: an `application/health+json` report. */
export interface HealthResponse {
  statusCode: number
  headers: Record<string, string>
  body: string
}

/** 200 for pass and warn, 503 for fail; never cached by intermediaries; HEAD gets the headers only. */
export function healthResponse(status: HealthStatus, body: string, head: boolean): HealthResponse {
  return {
    statusCode: status === 'fail' ? 503 : 200,
    headers: { 'Content-Type': HEALTH_CONTENT_TYPE, 'Cache-Control': 'no-store' },
    body: head ? '' : body,
  }
}
