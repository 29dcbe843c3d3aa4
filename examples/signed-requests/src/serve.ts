// `pnpm demo`: one signed call, one replay and one tampered call against a local callee, then exit.
import { runDemo } from './demo'

await runDemo({ print: (line) => console.log(line) })
