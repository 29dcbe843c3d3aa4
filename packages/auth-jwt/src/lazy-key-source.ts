import type { KeySource } from './key-source'

/**
 * A key source whose code is loaded when its first token arrives: `load` runs once (a dynamic import of
 * the module that fetches keys, so that configurations without such issuers neither load nor bundle it)
 * and every call after that goes straight to the loaded source. Until then the source has generation 0
 * and is not fresh, which is what a source that has not fetched its keys yet reports.
 */
export function lazyKeySource(load: () => Promise<KeySource>): KeySource {
  let source: KeySource | undefined
  let loading: Promise<KeySource> | undefined
  return {
    get generation() {
      return source?.generation ?? 0
    },
    get fresh() {
      return source?.fresh ?? false
    },
    keysFor(alg, header) {
      if (source !== undefined) return source.keysFor(alg, header)
      loading ??= load().then((loaded) => {
        source = loaded
        return loaded
      })
      return loading.then((loaded) => loaded.keysFor(alg, header))
    },
  }
}
