import { EventEmitter } from 'node:events'
import { createServer, type Server } from 'node:net'
import { describe, expect, it } from '@jest/globals'
import type { AuditRecord } from '@lift/observability'
import { formatAuditRecord } from '../src/audit-printer'
import { demoUsers, runDemo } from '../src/demo'

/** A printed curl command, understood well enough to replay it with fetch (variables from the exports). */
function replay(command: string, variables: Record<string, string>) {
  const words = [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!)
  const expand = (word: string) => word.replace(/\$(\w+)/g, (_, name: string) => variables[name] ?? '')
  let method = 'GET'
  let url = ''
  let body: string | undefined
  const headers: Record<string, string> = {}
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!
    if (word === '-X') method = words[++i]!
    else if (word === '-H') {
      const header = expand(words[++i]!)
      const colon = header.indexOf(':')
      headers[header.slice(0, colon).trim().toLowerCase()] = header.slice(colon + 1).trim()
    } else if (word === '--data') body = words[++i]!
    else if (word.startsWith('http')) url = word
  }
  return fetch(url, { method, headers, ...(body === undefined ? {} : { body }) })
}

function harness() {
  const printed: string[] = []
  const errors: string[] = []
  const signals = new EventEmitter()
  let resolveExit: (code: number) => void = () => {}
  const exited = new Promise<number>((resolve) => {
    resolveExit = resolve
  })
  return {
    printed,
    errors,
    signals,
    exited,
    options: {
      print: (line: string) => printed.push(line),
      printError: (line: string) => errors.push(line),
      signals: signals as unknown as NodeJS.Process,
      exit: (code: number) => resolveExit(code),
    },
  }
}

async function replayEveryAnnouncedStep(printed: readonly string[]) {
  const variables = Object.fromEntries(
    printed.flatMap((line) => [...line.matchAll(/export (\w+)='([^']+)'/g)].map(([, n, v]) => [n!, v!])),
  )
  expect(Object.keys(variables).sort()).toEqual(demoUsers.map((user) => user.variable).sort())

  const steps: { expected: number; command: string; title: string }[] = []
  printed.forEach((line, index) => {
    const announced = /^\s+# (\d{3}) (.*)$/.exec(line)
    if (announced)
      steps.push({
        expected: Number(announced[1]),
        title: announced[2]!,
        command: printed[index + 1]!.trim(),
      })
  })
  expect(steps.map((step) => step.expected)).toEqual(expect.arrayContaining([200, 201, 204, 403, 422, 429]))
  for (const step of steps) {
    if (step.command.startsWith('for ')) {
      const single = /do (curl .*?); done/
        .exec(step.command)![1]!
        .replace(/-s -o \/dev\/null -w '%\{http_code\} ' /, '-i ')
      // The free plan's burst bucket refills 10 tokens a second: on a loaded machine 15 requests in a row
      // can take longer than that, so each round sends them at once (at most 4 rounds, under the minute limit).
      const statuses: number[] = []
      for (let round = 0; round < 4 && !statuses.includes(step.expected); round++) {
        const burst = await Promise.all(Array.from({ length: 15 }, () => replay(single, variables)))
        statuses.push(...burst.map((response) => response.status))
      }
      expect(statuses).toContain(step.expected)
      continue
    }
    const response = await replay(step.command, variables)
    expect({ title: step.title, status: response.status }).toEqual({
      title: step.title,
      status: step.expected,
    })
    if (step.title.includes('run it again')) {
      const again = await replay(step.command, variables)
      expect(again.status).toBe(/409/.test(step.title) ? 409 : 401)
    }
    if (step.title.includes('send it twice')) expect((await replay(step.command, variables)).status).toBe(201)
  }
}

describe('runDemo()', () => {
  it('prints tokens and curl commands that answer as announced, replays included; stops on SIGINT', async () => {
    const demo = harness()
    const state = await runDemo({ port: 0, ...demo.options })
    try {
      expect(state).toBeDefined()
      await replayEveryAnnouncedStep(demo.printed)
    } finally {
      // Stop the stack even when a step failed: an open server would keep Jest from exiting.
      demo.signals.emit('SIGINT')
    }
    expect(await demo.exited).toBe(0)
    expect(demo.printed.at(-1)).toBe('Stopped.')
  })

  it('reports a port in use with a hint, and a bad PORT', async () => {
    const busy: Server = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const port = (busy.address() as { port: number }).port
    try {
      const demo = harness()
      await runDemo({ port, ...demo.options })
      expect(await demo.exited).toBe(1)
      expect(demo.errors.join('\n')).toContain(`PORT=${port + 1} pnpm demo`)
    } finally {
      busy.close()
    }
    const bad = harness()
    await runDemo({ port: -1, ...bad.options })
    expect(await bad.exited).toBe(1)
    expect(bad.errors.join('\n')).toContain('PORT must be')
  })
})

describe('runDemo() and early signals', () => {
  it('a Ctrl+C while the stack starts stops it as soon as it is up, without printing the instructions', async () => {
    const demo = harness()
    const running = runDemo({ port: 0, ...demo.options })
    demo.signals.emit('SIGINT')
    expect(await running).toBeUndefined()
    expect(await demo.exited).toBe(0)
    expect(demo.printed).toEqual(['Stopped.'])
  })
})

describe('formatAuditRecord', () => {
  it('prints one readable line with time, decision, type, reason, who and route', () => {
    const record: AuditRecord = {
      audit: true,
      type: 'authz',
      decision: 'deny',
      reason: 'tenant-mismatch',
      principalId: 'gus',
      tenantId: 'globex',
      route: 'GET /tenants/{tenantId}/projects/{projectId}',
      at: '2026-11-28T16:00:01.000Z',
    }
    expect(formatAuditRecord(record)).toMatch(
      /16:00:01 {2}DENY {3}authz +tenant-mismatch +gus@globex +GET \/tenants/,
    )
    expect(formatAuditRecord({ ...record, decision: 'allow', principalId: undefined } as never)).toContain(
      'allow',
    )
  })
})
