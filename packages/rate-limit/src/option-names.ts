/** Throws a TypeError naming the first key of `options` that is not a known option: a typo never turns a setting off. */
export function checkOptionNames(options: object, names: ReadonlySet<string>, owner: string): void {
  for (const name of Object.keys(options))
    if (!names.has(name)) throw new TypeError(`${owner}: unknown option "${name}"`)
}
