import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { iamStatements, readSamTemplate, resourcesOfType } from '../src/index'

const dir = mkdtempSync(join(tmpdir(), 'lift-sam-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function write(name: string, text: string): string {
  const file = join(dir, name)
  writeFileSync(file, text)
  return file
}

describe('readSamTemplate', () => {
  it('reads resources with CloudFormation short-form intrinsics in their long form', () => {
    const file = write(
      'template.yaml',
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Table:',
        '    Type: AWS::DynamoDB::Table',
        '    Properties: { BillingMode: PAY_PER_REQUEST }',
        '  Fn:',
        '    Type: AWS::Serverless::Function',
        '    Properties:',
        '      Handler: handler.handler',
        '      Environment:',
        '        Variables:',
        '          TABLE: !Ref Table',
        '          URL: !Sub https://$' + '{Api}.example.com',
        '          PARTS: !Join [",", [a, b]]',
        '      Policies:',
        '        - Statement:',
        '            - Effect: Allow',
        '              Action: dynamodb:GetItem',
        '              Resource: !GetAtt Table.Arn',
        '        - DynamoDBReadPolicy: { TableName: !Ref Table }',
      ].join('\n'),
    )
    const template = readSamTemplate(file)
    const [[name, fn]] = resourcesOfType(template, 'AWS::Serverless::Function') as [[string, never]]
    expect(name).toBe('Fn')
    expect((fn as { Properties: { Environment: unknown } }).Properties.Environment).toEqual({
      Variables: {
        TABLE: { Ref: 'Table' },
        URL: { 'Fn::Sub': 'https://$' + '{Api}.example.com' },
        PARTS: { 'Fn::Join': [',', ['a', 'b']] },
      },
    })
    expect(iamStatements(fn)).toEqual([
      { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: { 'Fn::GetAtt': 'Table.Arn' } },
    ])
    expect(resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id]) => id)).toEqual(['Table'])
  })

  it('a function without policies has no statements', () => {
    expect(iamStatements({ Type: 'AWS::Serverless::Function', Properties: {} })).toEqual([])
  })

  it('reports a template that does not parse, naming the file', () => {
    const file = write('broken.yaml', 'Resources:\n  - a\n b: [')
    expect(() => readSamTemplate(file)).toThrow(/readSamTemplate: .*broken\.yaml/)
  })
})
