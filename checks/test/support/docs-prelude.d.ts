// Names that documentation fragments may use without declaring them: the user's own handler and the
// objects every Lambda has. Anything else a block uses, it imports or declares itself.
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda'

declare global {
  /** The user's existing business handler. */
  const handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>
  const event: APIGatewayProxyEventV2
  const context: Context
}
