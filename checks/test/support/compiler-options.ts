import { join } from 'node:path'
import ts from 'typescript'

/** How the checks type-check code against the packages' sources: `@lift/*` is packages/<name>/src/index.ts. */
export function sourceCompilerOptions(root: string): ts.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    esModuleInterop: true,
    types: ['node', 'aws-lambda'],
    typeRoots: [join(root, 'node_modules/@types')],
    baseUrl: root,
    paths: { '@lift/*': ['packages/*/src/index.ts'] },
  }
}
