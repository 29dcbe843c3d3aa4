// `pnpm demo`: the flagship stack on http://127.0.0.1:${PORT:-3000} until SIGINT/SIGTERM, with audit records
// printed as they happen. Powertools' own log lines and metrics are left out to keep the terminal readable.
import { Logger } from '@aws-lambda-powertools/logger'
import { observability } from '@lift/observability'
import { formatAuditRecord } from './audit-printer'
import { runDemo } from './demo'

// The demo's own seeding requests are decided and audited too; the terminal shows yours, after the banner.
let ready = false
await runDemo({
  port: Number(process.env.PORT ?? 3000),
  print: (line) => console.log(line),
  printError: (line) => console.error(line),
  signals: process,
  exit: (code) => process.exit(code),
  outer: [
    observability({
      logger: new Logger({ logLevel: 'SILENT' }),
      requestMetrics: false,
      audit: {
        metrics: false,
        write: (record) => {
          if (ready) console.log(formatAuditRecord(record))
        },
      },
    }),
  ],
})
ready = true
