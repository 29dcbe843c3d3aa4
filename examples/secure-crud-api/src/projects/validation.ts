import { LiftHttpError } from '@lift/security-core'
import { PROJECT_STATUSES } from './table'

export interface ProjectInput {
  name: string
  description?: string
  status?: (typeof PROJECT_STATUSES)[number]
}

/** A partial update: the version the client read (optimistic concurrency) and at least one field. */
export interface ProjectChanges extends Partial<ProjectInput> {
  version: number
}

export const NAME_MAX = 100
export const DESCRIPTION_MAX = 1000

interface FieldProblem {
  pointer: string
  detail: string
}

/** The body of `POST /projects`; anything else is a 422 that lists every problem (RFC 9457 `errors`). */
export function parseProjectInput(body: unknown): ProjectInput {
  const record = objectBody(body)
  const problems = [
    ...unknownFields(record, ['name', 'description', 'status']),
    ...checkName(record.name, true),
    ...checkDescription(record.description),
    ...checkStatus(record.status),
  ]
  if (problems.length > 0) throw invalidBody(problems)
  return record as unknown as ProjectInput
}

/** The body of `PATCH /projects/{projectId}`. */
export function parseProjectChanges(body: unknown): ProjectChanges {
  const record = objectBody(body)
  const problems = [
    ...unknownFields(record, ['name', 'description', 'status', 'version']),
    ...checkName(record.name, false),
    ...checkDescription(record.description),
    ...checkStatus(record.status),
    ...checkVersion(record.version, 'version'),
  ]
  if (!['name', 'description', 'status'].some((field) => field in record))
    problems.push({ pointer: '', detail: 'Change at least one of name, description, status.' })
  if (problems.length > 0) throw invalidBody(problems)
  return record as unknown as ProjectChanges
}

/** `?version=` on DELETE: optional, a positive integer when present. */
export function parseExpectedVersion(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const version = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : Number.NaN
  if (Number.isNaN(version)) throw invalidBody([{ pointer: 'version', detail: 'must be a positive integer' }])
  return version
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidBody([{ pointer: '', detail: 'The body must be a JSON object.' }])
  return body as Record<string, unknown>
}

function unknownFields(record: Record<string, unknown>, allowed: readonly string[]): FieldProblem[] {
  return Object.keys(record)
    .filter((field) => !allowed.includes(field))
    .map((field) => ({ pointer: `/${field.slice(0, 40)}`, detail: 'unknown field' }))
}

function checkName(value: unknown, required: boolean): FieldProblem[] {
  if (value === undefined) return required ? [{ pointer: '/name', detail: 'required' }] : []
  if (typeof value !== 'string' || value.trim() === '' || value.length > NAME_MAX)
    return [{ pointer: '/name', detail: `a non-empty string of at most ${NAME_MAX} characters` }]
  return []
}

function checkDescription(value: unknown): FieldProblem[] {
  if (value === undefined) return []
  if (typeof value !== 'string' || value.length > DESCRIPTION_MAX)
    return [{ pointer: '/description', detail: `a string of at most ${DESCRIPTION_MAX} characters` }]
  return []
}

function checkStatus(value: unknown): FieldProblem[] {
  if (value === undefined || PROJECT_STATUSES.includes(value as never)) return []
  return [{ pointer: '/status', detail: `one of ${PROJECT_STATUSES.join(', ')}` }]
}

function checkVersion(value: unknown, field: string): FieldProblem[] {
  if (Number.isSafeInteger(value) && (value as number) >= 1) return []
  return [{ pointer: `/${field}`, detail: 'required: the positive integer version you read' }]
}

function invalidBody(errors: FieldProblem[]): LiftHttpError {
  return new LiftHttpError(422, {
    code: 'invalid-body',
    detail: 'The request body is not valid.',
    extensions: { errors },
  })
}
