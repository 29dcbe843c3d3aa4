import { availableParallelism, cpus, loadavg } from 'node:os'

/** Where a result was measured: enough to tell two results files apart. */
export interface Machine {
  node: string
  cpu: string
  cores: number
  platform: string
  arch: string
}

/** The machine's load: 1- and 5-minute load averages, and how many CPUs share it. */
export interface Load {
  loadavg1: number
  loadavg5: number
  cpus: number
}

export function machine(): Machine {
  const list = cpus()
  return {
    node: process.version,
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    platform: process.platform,
    arch: process.arch,
  }
}

export function loadNow(): Load {
  const [loadavg1 = 0, loadavg5 = 0] = loadavg()
  return { loadavg1, loadavg5, cpus: availableParallelism() }
}
