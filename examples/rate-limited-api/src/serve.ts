// `pnpm demo`: bursts against a local copy of the API that run into each limit, then exit.
import { runDemo } from './demo'

await runDemo({ print: (line) => console.log(line) })
