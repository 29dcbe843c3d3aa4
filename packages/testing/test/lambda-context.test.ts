import { describe, expect, it } from '@jest/globals'
import { lambdaContext } from '../src/index'

describe('lambdaContext', () => {
  it('is a complete Context with sensible defaults', () => {
    const context = lambdaContext({ now: () => Date.UTC(2024, 4, 6, 10, 0, 0) })
    expect(context).toMatchObject({
      callbackWaitsForEmptyEventLoop: true,
      functionName: 'lift-test-function',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:lift-test-function',
      memoryLimitInMB: '128',
      logGroupName: '/aws/lambda/lift-test-function',
    })
    expect(context.awsRequestId).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    )
    expect(context.logStreamName).toMatch(/^2024\/05\/06\/\[\$LATEST\][0-9a-f]{32}$/)
    expect(lambdaContext().awsRequestId).not.toBe(lambdaContext().awsRequestId)
    expect(context.identity).toBeUndefined()
  })

  it('counts the remaining time down from the deadline with the injected clock, never below zero', () => {
    let now = 1_000_000
    const context = lambdaContext({ timeoutMs: 3_000, now: () => now })
    expect(context.getRemainingTimeInMillis()).toBe(3_000)
    now += 1_250
    expect(context.getRemainingTimeInMillis()).toBe(1_750)
    now += 1_750
    expect(context.getRemainingTimeInMillis()).toBe(0)
    now += 10_000
    expect(context.getRemainingTimeInMillis()).toBe(0)
    expect(lambdaContext({ now: () => now }).getRemainingTimeInMillis()).toBe(30_000)
  })

  it('takes every field from the init', () => {
    const identity = { cognitoIdentityId: 'id-1', cognitoIdentityPoolId: 'pool-1' }
    const clientContext = {
      client: {
        installationId: 'i',
        appTitle: 't',
        appVersionName: 'v',
        appVersionCode: 'c',
        appPackageName: 'p',
      },
      env: { platformVersion: '1', platform: 'p', make: 'm', model: 'x', locale: 'en' },
    }
    const context = lambdaContext({
      functionName: 'orders',
      functionVersion: '7',
      memoryLimitInMB: 1024,
      awsRequestId: 'req-1',
      region: 'eu-west-1',
      accountId: '111122223333',
      callbackWaitsForEmptyEventLoop: false,
      identity,
      clientContext,
      tenantId: 'tenant-a',
    })
    expect(context).toMatchObject({
      functionName: 'orders',
      functionVersion: '7',
      memoryLimitInMB: '1024',
      awsRequestId: 'req-1',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:orders',
      callbackWaitsForEmptyEventLoop: false,
      identity,
      clientContext,
      tenantId: 'tenant-a',
    })
    expect(context.logStreamName).toContain('[7]')
  })

  it('refuses the legacy callbacks loudly', () => {
    const context = lambdaContext()
    expect(() => context.done()).toThrow(/context.done\(\) is a legacy callback/)
    expect(() => context.fail('x')).toThrow(/context.fail\(\)/)
    expect(() => context.succeed('x')).toThrow(/context.succeed\(\)/)
  })

  it('rejects a negative or non-numeric timeout', () => {
    expect(() => lambdaContext({ timeoutMs: -1 })).toThrow(/timeoutMs must be a non-negative number/)
    expect(() => lambdaContext({ timeoutMs: Number.NaN })).toThrow(TypeError)
  })
})
