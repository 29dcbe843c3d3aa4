import { cpus } from 'node:os'

/** Where a result was measured: enough to tell two results files apart. */
export interface Machine {
  node: string
  cpu: string
  cores: number
  platform: string
  arch: string
}

export function machine(): Machine {
  const list = cpus()
  return {
    node: process.version,
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    platform: process.platform,
    arch: process.arch,
  }
}
