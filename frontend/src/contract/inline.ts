/**
 * Writes a module of plain data out as JavaScript: one `export const` per name, the value as
 * JSON (a JavaScript literal). vite.config.ts uses it to inline first-screen.data.ts when building the remote.
 */
import { isDeepStrictEqual } from 'node:util'

export function inlinedModule(exports: Record<string, unknown>): string {
  return Object.entries(exports)
    .map(([name, value]) => {
      const json = JSON.stringify(value)
      if (json === undefined || !isDeepStrictEqual(JSON.parse(json), value)) throw new Error(`${name} is not plain data: it cannot be inlined as JSON`)
      return `export const ${name} = ${json}`
    })
    .join('\n')
}
