// Reference for every package: Middy's core alone.
export { default } from '@middy/core'
