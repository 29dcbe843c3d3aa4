import { describe, expect, it } from '@jest/globals'
import { httpRequestView, isExecuteApiHost } from '../src/index'
import { loadEvent } from './fixtures/load-event'

describe('isExecuteApiHost', () => {
  it('recognises the hosts of recorded API Gateway events (REST and HTTP API, named stage)', () => {
    for (const name of ['apigw-rest', 'apigw-http-named-stage'] as const) {
      expect(isExecuteApiHost(httpRequestView(loadEvent(name)).host)).toBe(true)
    }
  })

  it('recognises public, private (VPC endpoint) and China-region execute-api endpoints, with :443', () => {
    for (const host of [
      'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      'A1B2C3D4E5.EXECUTE-API.EU-WEST-1.AMAZONAWS.COM',
      'a1b2c3d4e5-vpce-0123456789abcdef0.execute-api.us-east-1.amazonaws.com',
      'vpce-0123456789abcdef0-abcdefgh.execute-api.us-east-1.vpce.amazonaws.com',
      'a1b2c3d4e5.execute-api.cn-north-1.amazonaws.com.cn',
      'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com:443',
    ]) {
      expect(isExecuteApiHost(host)).toBe(true)
    }
  })

  it('refuses custom domains, other AWS endpoints, look-alikes and no host', () => {
    for (const host of [
      'api.example.com',
      'abc.lambda-url.us-east-1.on.aws',
      'lambda-846800462-us-east-2.elb.amazonaws.com',
      'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com.evil.example',
      'evil.example/a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com',
      'a.b.execute-api.eu-west-1.amazonaws.com',
      'a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com:8443',
      '',
      undefined,
    ]) {
      expect(isExecuteApiHost(host)).toBe(false)
    }
  })
})
