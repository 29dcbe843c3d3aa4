import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { readSamTemplate, resourcesOfType } from '@lift/testing'
import { ROUTES } from '../src/api'

const here = dirname(fileURLToPath(import.meta.url))
const template = readSamTemplate(join(here, '..', 'template.yaml'))
const functions = Object.fromEntries(resourcesOfType(template, 'AWS::Serverless::Function'))
type Event = {
  Type: string
  Properties: { Method: string; Path: string; RestApiId?: unknown; ApiId?: unknown }
}
const apiEvents = Object.values(functions.ApiFunction!.Properties.Events as Record<string, Event>)
const auth = (name: string) =>
  template.Resources[name]!.Properties.Auth as {
    DefaultAuthorizer: string
    Authorizers: Record<string, Record<string, unknown>>
  }

describe('template.yaml', () => {
  it('routes exactly the handler’s routes to the API function, on each of the three APIs', () => {
    for (const api of ['RestApi', 'HttpApi', 'JwtHttpApi']) {
      const routes = apiEvents
        .filter(
          (event) =>
            JSON.stringify(event.Properties.RestApiId ?? event.Properties.ApiId) ===
            JSON.stringify({ Ref: api }),
        )
        .map((event) => `${event.Properties.Method} ${event.Properties.Path}`)
      expect(routes.sort()).toEqual([...ROUTES].sort())
    }
  })

  it('gives the API function no trigger but API Gateway (trustApiGatewayClaims is only safe then)', () => {
    expect(new Set(apiEvents.map((event) => event.Type))).toEqual(new Set(['Api', 'HttpApi']))
    expect(resourcesOfType(template, 'AWS::Lambda::Url')).toEqual([])
    expect(functions.ApiFunction!.Properties.FunctionUrlConfig).toBeUndefined()
  })

  it('wires jwtAuthorizer as a REST TOKEN authorizer and as an HTTP API 2.0 simple-response authorizer', () => {
    const rest = auth('RestApi')
    expect(rest.Authorizers[rest.DefaultAuthorizer]).toMatchObject({
      FunctionArn: { 'Fn::GetAtt': 'AuthorizerFunction.Arn' },
      FunctionPayloadType: 'TOKEN',
      Identity: { Header: 'Authorization' },
    })
    const http = auth('HttpApi')
    expect(http.Authorizers[http.DefaultAuthorizer]).toMatchObject({
      FunctionArn: { 'Fn::GetAtt': 'AuthorizerFunction.Arn' },
      AuthorizerPayloadFormatVersion: '2.0',
      EnableSimpleResponses: true,
    })
  })

  it('lets the HTTP API invoke its authorizer function (SAM adds no permission for it by default)', () => {
    // Without a resource policy or FunctionInvokeRole, API Gateway cannot call the authorizer: every request
    // to the HTTP API is a 500 (AuthorizerConfigurationException). REST API authorizers get one from SAM.
    const http = auth('HttpApi')
    expect(http.Authorizers[http.DefaultAuthorizer]).toMatchObject({ EnableFunctionDefaultPermissions: true })
    const jwt = auth('JwtHttpApi')
    expect(jwt.Authorizers[jwt.DefaultAuthorizer]).toMatchObject({
      JwtConfiguration: { issuer: { Ref: 'JwtIssuer' }, audience: [{ Ref: 'JwtAudience' }] },
    })
  })

  it('deploys the REST API to its prod stage only (no second, unmanaged stage named Stage)', () => {
    // Without OpenApiVersion, SAM's deployment also creates a stage named "Stage": the same API, reachable
    // at /Stage/... (serverless-application-model issue 191). Any valid version turns that off.
    const rest = template.Resources.RestApi!.Properties
    expect(rest.StageName).toBe('prod')
    expect(rest.OpenApiVersion).toMatch(/^3\.0\.\d+$/)
  })

  it('gives both functions the variables src/config.ts reads', () => {
    const globals = (
      template as unknown as {
        Globals: { Function: { Environment: { Variables: Record<string, unknown> } } }
      }
    ).Globals.Function.Environment.Variables
    expect(globals).toMatchObject({ JWT_ISSUER: { Ref: 'JwtIssuer' }, JWT_AUDIENCE: { Ref: 'JwtAudience' } })
    expect(functions.AuthorizerFunction!.Properties.Handler).toBe('authorizer.handler')
    expect(functions.ApiFunction!.Properties.Handler).toBe('api.handler')
  })
  it('runs each function from the bundle `pnpm --filter @lift/example-api-gateway-authorizer package` writes', () => {
    for (const fn of Object.values(functions)) {
      const [file] = String(fn.Properties.Handler).split('.')
      expect(fn.Properties.CodeUri).toBe(`dist/${file}`)
    }
    expect(Object.keys(functions).sort()).toEqual(['ApiFunction', 'AuthorizerFunction'])
    expect(template.Globals.Function.Runtime).toEqual({ Ref: 'NodeRuntime' })
  })
})
