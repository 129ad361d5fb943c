/**
 * The remote's own JavaScript (frontend/dist, as `npm run build` left it), gzipped, split into
 * what a host loads at once — remoteEntry.js and every chunk reachable from it by static imports —
 * and what loads lazily (dynamic import()). vue and pinia are shared singletons (the host's copies
 * are used; these chunks are fallbacks), so they are left out, as scripts/remote-size.mjs does.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'
import { ROOT } from '../../e2e/flow/host-process.ts'

const SHARED = /__prebuild__(vue|pinia)__prebuild__/

/** `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`; never `import("./x.js")` */
export function staticImports(code: string): string[] {
  const out: string[] = []
  const re = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1]!)
  return out
}

export interface RemoteSize {
  initialGzipKB: number
  lazyGzipKB: number
  initialFiles: number
  lazyFiles: number
  /** false: no build found (run `npm run build`); the sizes are 0 */
  built: boolean
}

export function remoteSize(dist = path.join(ROOT, 'frontend/dist')): RemoteSize {
  const entry = path.join(dist, 'remoteEntry.js')
  if (!existsSync(entry)) return { initialGzipKB: 0, lazyGzipKB: 0, initialFiles: 0, lazyFiles: 0, built: false }
  const all: string[] = []
  const walk = (d: string) => readdirSync(d).forEach((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : all.push(path.join(d, n))))
  walk(dist)
  const js = all.filter((f) => f.endsWith('.js') && !SHARED.test(path.basename(f)))
  const initial = new Set<string>()
  const queue = [entry]
  while (queue.length) {
    const f = queue.pop()!
    if (initial.has(f) || !existsSync(f)) continue
    initial.add(f)
    for (const spec of staticImports(readFileSync(f, 'utf8'))) queue.push(path.resolve(path.dirname(f), spec))
  }
  const gz = (f: string) => gzipSync(readFileSync(f), { level: 9 }).length
  const kb = (n: number) => Math.round((n / 1024) * 10) / 10
  const first = js.filter((f) => initial.has(f))
  const lazy = js.filter((f) => !initial.has(f))
  return {
    initialGzipKB: kb(first.reduce((s, f) => s + gz(f), 0)),
    lazyGzipKB: kb(lazy.reduce((s, f) => s + gz(f), 0)),
    initialFiles: first.length,
    lazyFiles: lazy.length,
    built: true,
  }
}
