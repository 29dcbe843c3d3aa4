import type { KeySource } from './key-source'
import { loadOnce } from './load-once'

/**
 * A key source whose code is loaded when its first token arrives: `load` (a dynamic import of the module
 * that fetches keys, so that configurations without such issuers neither load nor bundle it) runs until it
 * succeeds, and every call after that goes straight to the loaded source. Until then the source has
 * generation 0 and is not fresh, which is what a source that has not fetched its keys yet reports.
 */
export function lazyKeySource(load: () => Promise<KeySource>): KeySource {
  const source = loadOnce(load)
  return {
    get generation() {
      return source.loaded()?.generation ?? 0
    },
    get fresh() {
      return source.loaded()?.fresh ?? false
    },
    keysFor(alg, header) {
      return source.use((loaded) => loaded.keysFor(alg, header))
    },
    async refetch() {
      return (await source.use((loaded) => loaded.refetch?.())) ?? false
    },
  }
}
