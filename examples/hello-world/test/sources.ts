import type { HttpEventSource } from '@lift/security-core'
import {
  albEvent,
  apiGatewayV1Event,
  apiGatewayV2Event,
  functionUrlEvent,
  type HttpEventInit,
} from '@lift/testing'
import type { HttpEvent } from '../src/handler'

export interface EventSource {
  /** How the tests name it. */
  readonly name: string
  /** What httpRequestView reports. */
  readonly source: HttpEventSource
  /** False for ALB without multi-value headers: the load balancer passes on only the last value. */
  readonly keepsRepeatedValues: boolean
  readonly build: (init: HttpEventInit) => HttpEvent
}

export const SOURCES: readonly EventSource[] = [
  {
    name: 'API Gateway REST (v1)',
    source: 'apigw-rest',
    keepsRepeatedValues: true,
    build: apiGatewayV1Event,
  },
  {
    name: 'API Gateway HTTP API (v2)',
    source: 'apigw-http',
    keepsRepeatedValues: true,
    build: apiGatewayV2Event,
  },
  { name: 'ALB', source: 'alb', keepsRepeatedValues: false, build: albEvent },
  {
    name: 'ALB, multi-value headers',
    source: 'alb',
    keepsRepeatedValues: true,
    build: (init) => albEvent({ ...init, multiValue: true }),
  },
  {
    name: 'Lambda Function URL',
    source: 'function-url',
    keepsRepeatedValues: true,
    build: (init) => functionUrlEvent(init) as HttpEvent,
  },
]

export const V2_SOURCE = SOURCES[1]!

/** The request as an event of the source, from a client at 203.0.113.7. */
export function buildEvent(source: EventSource, init: HttpEventInit): HttpEvent {
  return source.build({ sourceIp: '203.0.113.7', ...init })
}
