// `pnpm demo`: the jwt-auth stack on http://127.0.0.1:${PORT:-3000} until SIGINT/SIGTERM.
import { runDemo } from './demo'

await runDemo({
  port: Number(process.env.PORT ?? 3000),
  print: (line) => console.log(line),
  printError: (line) => console.error(line),
  signals: process,
  exit: (code) => process.exit(code),
})
