import { createConnection } from 'node:net'
import { describe, expect, it } from '@jest/globals'
import { startValkey } from '../src/index'

/** Sends one inline command over RESP and returns the first reply line. */
function command(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port }, () => socket.write(`${line}\r\n`))
    socket.once('error', reject)
    socket.once('data', (chunk) => {
      socket.destroy()
      resolve(chunk.toString().split('\r\n')[0]!)
    })
  })
}

describe('startValkey', () => {
  it('runs a real server on a free 127.0.0.1 port that answers commands, in memory only, until stopped', async () => {
    const valkey = await startValkey()
    try {
      expect(valkey.url).toBe(`redis://127.0.0.1:${valkey.port}`)
      expect(await command(valkey.port, 'SET lift 1')).toBe('+OK')
      expect(await command(valkey.port, 'CONFIG GET appendonly')).toBe('*2')
    } finally {
      await valkey.stop()
      await valkey.stop()
    }
    await expect(command(valkey.port, 'PING')).rejects.toThrow(/ECONNREFUSED/)
  })

  it('rejects when the binary is missing or exits, and on unknown options', async () => {
    await expect(startValkey({ binary: '/nonexistent/valkey-server' })).rejects.toThrow(/did not start/)
    await expect(startValkey({ binary: 'false' })).rejects.toThrow(/exited with code 1/)
    await expect(startValkey({ bogus: 1 } as never)).rejects.toThrow('unknown option "bogus"')
  })

  it('fails (never skips) when no server binary is on PATH', async () => {
    const path = process.env.PATH
    process.env.PATH = '/nonexistent'
    try {
      await expect(startValkey()).rejects.toThrow(/neither valkey-server nor redis-server is installed/)
    } finally {
      process.env.PATH = path
    }
  })
})
