import { describe, expect, it } from '@jest/globals'
import { albEvent, TEST_TARGET_GROUP_ARN } from '../src/index'

describe('albEvent', () => {
  it('has the documented ALB fields: target group, method, path, single-value maps, empty body', () => {
    const event = albEvent()
    expect(Object.keys(event).sort()).toEqual(
      [
        'requestContext',
        'httpMethod',
        'path',
        'queryStringParameters',
        'headers',
        'body',
        'isBase64Encoded',
      ].sort(),
    )
    expect(event).toMatchObject({
      requestContext: { elb: { targetGroupArn: TEST_TARGET_GROUP_ARN } },
      httpMethod: 'GET',
      path: '/',
      queryStringParameters: {},
      body: '',
      isBase64Encoded: false,
    })
    expect(TEST_TARGET_GROUP_ARN).toMatch(
      /^arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup\//,
    )
    expect(event.headers?.['x-forwarded-for']).toBe('203.0.113.10')
    expect(event.headers?.['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/)
    for (const name of Object.keys(event.headers ?? {})) expect(name).toBe(name.toLowerCase())
  })

  it('does not decode the query: names and values stay percent-encoded', () => {
    const event = albEvent({ query: { 'first name': 'José', q: 'a&b' } })
    expect(event.queryStringParameters).toEqual({ 'first%20name': 'Jos%C3%A9', q: 'a%26b' })
  })

  it('keeps the last value of a repeated header or parameter without multi-value headers', () => {
    const event = albEvent({ headers: { Accept: ['a', 'b'] }, query: { k: ['1', '2'] } })
    expect(event.headers?.accept).toBe('b')
    expect(event.queryStringParameters).toEqual({ k: '2' })
    expect(event.multiValueHeaders).toBeUndefined()
    expect(event.multiValueQueryStringParameters).toBeUndefined()
  })

  it('with multiValue sends only the multi-value maps, every value kept', () => {
    const event = albEvent({ multiValue: true, headers: { Accept: ['a', 'b'] }, query: { k: ['1', '2 3'] } })
    expect(event.headers).toBeUndefined()
    expect(event.queryStringParameters).toBeUndefined()
    expect(event.multiValueHeaders?.accept).toEqual(['a', 'b'])
    expect(event.multiValueQueryStringParameters).toEqual({ k: ['1', '2%203'] })
    expect(albEvent({ multiValue: true }).multiValueQueryStringParameters).toEqual({})
  })

  it('sends cookies in the cookie header and bodies as the other builders do', () => {
    const event = albEvent({
      method: 'POST',
      cookies: { s: '1' },
      body: Buffer.from([9, 8, 7]),
      targetGroupArn: 'arn:tg',
    })
    expect(event.headers?.cookie).toBe('s=1')
    expect(event.isBase64Encoded).toBe(true)
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(Buffer.from([9, 8, 7]))
    expect(event.requestContext.elb.targetGroupArn).toBe('arn:tg')
  })
})
