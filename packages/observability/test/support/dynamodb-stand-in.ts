// A DynamoDB JSON 1.0 endpoint on 127.0.0.1 that the real AWS SDK client talks to: ListTables succeeds,
// DescribeTable answers ResourceNotFoundException (400), Scan answers ThrottlingException (400). It records
// the trace headers each request carried.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'

export interface DynamoDbStandIn {
  readonly client: DynamoDBClient
  /** Headers of every request received, in order. */
  readonly requests: IncomingHttpHeaders[]
  close(): Promise<void>
}

const ERRORS: Record<string, string> = {
  DescribeTable: 'ResourceNotFoundException',
  Scan: 'ThrottlingException',
}

export async function startDynamoDbStandIn(): Promise<DynamoDbStandIn> {
  const requests: IncomingHttpHeaders[] = []
  let served = 0
  const server: Server = createServer((request, response) => {
    requests.push(request.headers)
    request.resume()
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1] ?? ''
      const error = ERRORS[operation]
      served += 1
      response.writeHead(error ? 400 : 200, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `request-${served}`,
      })
      response.end(
        JSON.stringify(
          error
            ? { __type: `com.amazonaws.dynamodb.v20120810#${error}`, message: `${error} for the test` }
            : { TableNames: [] },
        ),
      )
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
  return {
    client,
    requests,
    close: async () => {
      client.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
