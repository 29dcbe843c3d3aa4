// `pnpm demo`: the API on 127.0.0.1 with dynalite and a local upstream; prints a few health answers, then exits.
import { runDemo } from './demo'

await runDemo({ print: (line) => console.log(line) })
