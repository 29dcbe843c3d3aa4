import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { lambdaContext, readSamTemplate } from '@lift/testing'
import { createHandler } from '../src/handler'
import { routes } from '../src/routes'
import { buildEvent, V2_SOURCE } from './sources'

interface HttpApiEvent {
  Type: string
  Properties: { ApiId?: unknown; Path?: string; Method?: string }
}

const here = dirname(fileURLToPath(import.meta.url))
const template = readSamTemplate(join(here, '..', 'template.yaml'))
const functions = Object.entries(template.Resources).filter(
  ([, resource]) => resource.Type === 'AWS::Serverless::Function',
)
const [, fn] = functions[0]!
const events = Object.values(fn.Properties!.Events as Record<string, HttpApiEvent>)
const declaredRoutes = events
  .filter((event) => event.Type === 'HttpApi' && event.Properties.Path !== undefined)
  .map((event) => `${event.Properties.Method!.toUpperCase()} ${event.Properties.Path}`)
  .sort()

describe('template.yaml', () => {
  it('parses as YAML with the CloudFormation short-form tags (readSamTemplate throws otherwise)', () => {
    expect(template.Transform).toBe('AWS::Serverless-2016-10-31')
  })

  it('declares every route the handler serves as an HttpApi event, and no other', () => {
    const served = routes.map((route) => `${route.method} ${route.path}`).sort()
    expect(declaredRoutes).toEqual(served)
  })

  it('routes every declared path to a handler route (no 404/405 for a declared route)', async () => {
    const handler = createHandler({ logLine: () => {} })
    for (const declared of declaredRoutes) {
      const [method, path] = declared.split(' ') as [string, string]
      const event = buildEvent(V2_SOURCE, {
        method,
        path,
        headers: { 'content-type': 'application/json' },
        body: '{"message":"hi"}',
      })
      const response = await handler(event, lambdaContext())
      expect({ route: declared, success: response.statusCode < 300 }).toEqual({
        route: declared,
        success: true,
      })
    }
  })

  it('sends every other request to the function through one $default route (for the 404/405 problems)', () => {
    const catchAll = events.filter((event) => event.Type === 'HttpApi' && event.Properties.Path === undefined)
    expect(catchAll).toHaveLength(1)
    expect(catchAll[0]!.Properties.Method).toBeUndefined()
  })

  it('runs one arm64 function on nodejs24.x (NodeRuntime) from the bundle of src/handler.ts', () => {
    expect(functions).toHaveLength(1)
    expect(template.Globals.Function.Runtime).toEqual({ Ref: 'NodeRuntime' })
    expect(template.Parameters.NodeRuntime?.Default).toBe('nodejs24.x')
    expect(template.Globals.Function.Architectures).toEqual(['arm64'])
    // `pnpm --filter @lift/example-hello-world package` writes src/handler.ts to dist/handler/handler.mjs.
    expect(fn.Properties!.CodeUri).toBe('dist/handler')
    expect(fn.Properties!.Handler).toBe('handler.handler')
  })

  it('grants nothing beyond the basic execution role', () => {
    for (const [, resource] of functions) {
      expect(resource.Properties).not.toHaveProperty('Policies')
      expect(resource.Properties).not.toHaveProperty('Role')
    }
    expect(Object.values(template.Resources).map((resource) => resource.Type)).not.toContain('AWS::IAM::Role')
    expect(Object.values(template.Resources).map((resource) => resource.Type)).not.toContain(
      'AWS::IAM::Policy',
    )
  })

  it('outputs the API URL', () => {
    expect(template.Outputs.ApiUrl?.Value).toEqual({
      'Fn::Sub': `https://\${HelloApi}.execute-api.\${AWS::Region}.\${AWS::URLSuffix}`,
    })
  })
})
