import { describe, expect, it } from '@jest/globals'
import { functionUrlEvent, TEST_FUNCTION_URL_ID } from '../src/index'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('functionUrlEvent', () => {
  it('is a payload 2.0 event on the $default route of a lambda-url domain', () => {
    const event = functionUrlEvent({ path: '/my/path', query: { parameter1: ['value1', 'value2'] } })
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/my/path',
      rawQueryString: 'parameter1=value1&parameter1=value2',
      queryStringParameters: { parameter1: 'value1,value2' },
      isBase64Encoded: false,
    })
    expect(event.requestContext).toMatchObject({
      accountId: 'anonymous',
      apiId: TEST_FUNCTION_URL_ID,
      domainName: `${TEST_FUNCTION_URL_ID}.lambda-url.us-east-1.on.aws`,
      domainPrefix: TEST_FUNCTION_URL_ID,
      routeKey: '$default',
      stage: '$default',
      http: { method: 'GET', path: '/my/path', protocol: 'HTTP/1.1', sourceIp: '203.0.113.10' },
    })
    expect(TEST_FUNCTION_URL_ID).toMatch(/^[a-z0-9]{32}$/)
    expect(event.requestContext.requestId).toMatch(UUID)
    expect(event.pathParameters).toBeUndefined()
    expect(event.stageVariables).toBeUndefined()
  })

  it('keeps cookies in the cookies array and joins repeated headers with a comma', () => {
    const event = functionUrlEvent({ cookies: { a: '1' }, headers: { 'X-Multi': ['1', '2'] } })
    expect(event.cookies).toEqual(['a=1'])
    expect(event.headers['x-multi']).toBe('1,2')
    expect(event.headers.cookie).toBeUndefined()
  })

  it('reports the owning account and the IAM caller when an authorizer is given (auth type AWS_IAM)', () => {
    const iam = { iam: { accountId: '111122223333', userArn: 'arn:aws:iam::111122223333:user/example' } }
    const event = functionUrlEvent({ authorizer: iam })
    expect(event.requestContext.accountId).toBe('123456789012')
    expect((event.requestContext as unknown as { authorizer: unknown }).authorizer).toEqual(iam)
  })

  it('keeps its lambda-url domain when the Host header names a proxy', () => {
    const event = functionUrlEvent({ host: 'api.example.com' })
    expect(event.headers.host).toBe('api.example.com')
    expect(event.requestContext.domainName).toBe(`${TEST_FUNCTION_URL_ID}.lambda-url.us-east-1.on.aws`)
  })

  it('takes the url-id from a given host', () => {
    const event = functionUrlEvent({ host: 'zyxw.lambda-url.eu-west-1.on.aws', requestId: 'r-1' })
    expect(event.requestContext).toMatchObject({ apiId: 'zyxw', domainPrefix: 'zyxw', requestId: 'r-1' })
  })
})
