import type { DocumentClientLike } from '../../src/index'

/** A document client that counts the round trips (and the command names) it forwards. */
export function countingClient(client: { send(command: never, options?: unknown): Promise<unknown> }) {
  const commands: string[] = []
  const counting: DocumentClientLike & { commands: string[] } = {
    commands,
    send(command: never, options?: { abortSignal?: AbortSignal }) {
      commands.push((command as object).constructor.name)
      return client.send(command, options)
    },
  }
  return counting
}
