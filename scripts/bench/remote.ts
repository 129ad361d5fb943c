/**
 * The remote's own JavaScript (frontend/dist, as `npm run build` left it), gzipped, split into
 * what the browser must load before the first screen renders and what loads lazily.
 *
 * Initial: remoteEntry.js, every chunk remoteEntry.js imports dynamically (a host's `init()`
 * loads the shared-modules map, its `get()` loads an exposed module: those are dynamic imports
 * in remoteEntry.js but nothing renders without them), and every chunk reachable from those by
 * static imports. Lazy: the rest reachable from remoteEntry.js (dynamic imports further down:
 * screens, dialogs, libraries). vue and pinia are shared singletons (the host's copies are used;
 * these chunks are fallbacks), so they are left out; so are files no host ever loads (the
 * standalone preview's index.html entry). scripts/remote-size.mjs prints the same after a build.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

// scripts/remote-size.mjs loads this file after every build: no heavier imports than node's own
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

const SHARED = /__prebuild__(vue|pinia)__prebuild__/

/** `import … from "./x.js"`, `import "./x.js"`, `export … from "./x.js"`; never `import("./x.js")` */
export function staticImports(code: string): string[] {
  const out: string[] = []
  const re = /(?:^|[;}\s])(?:import|export)\s*(?:[\w$*{}\s,]*?\s*from\s*)?["'`](\.{1,2}\/[^"'`]+\.js)["'`]/g
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1]!)
  return out
}

/** `import("./x.js")` (also inside vite's preload wrapper `n(()=>import(\`./x.js\`),…)`) */
export function dynamicImports(code: string): string[] {
  const out: string[] = []
  const re = /\bimport\(\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]\s*\)/g
  for (let m = re.exec(code); m; m = re.exec(code)) out.push(m[1]!)
  return out
}

export interface RemoteGraph {
  /** absolute paths of the chunks loaded before the first screen (shared vue/pinia left out) */
  initial: string[]
  /** absolute paths of the chunks loaded later (shared vue/pinia left out) */
  lazy: string[]
}

/** Walks the built remote from `entry` (see the file comment); `read` is injectable for tests. */
export function remoteGraph(entry: string, read: (file: string) => string | null): RemoteGraph {
  const code = new Map<string, string | null>()
  const load = (f: string) => {
    if (!code.has(f)) code.set(f, read(f))
    return code.get(f) ?? ''
  }
  const closure = (starts: string[], follow: (f: string) => string[]) => {
    const seen = new Set<string>()
    const queue = [...starts]
    while (queue.length) {
      const f = queue.pop()!
      if (seen.has(f) || SHARED.test(path.basename(f))) continue
      load(f)
      if (code.get(f) === null) continue
      seen.add(f)
      for (const spec of follow(f)) queue.push(path.resolve(path.dirname(f), spec))
    }
    return seen
  }
  const resolve = (from: string, specs: string[]) => specs.map((s) => path.resolve(path.dirname(from), s))
  const initial = closure([entry, ...resolve(entry, dynamicImports(load(entry)))], (f) => staticImports(load(f)))
  const reachable = closure([entry], (f) => [...staticImports(load(f)), ...dynamicImports(load(f))])
  return { initial: [...initial], lazy: [...reachable].filter((f) => !initial.has(f)) }
}

export interface RemoteFile {
  /** relative to the dist folder */
  file: string
  gzipBytes: number
}

/** The initial and lazy chunks with their gzipped sizes, largest first; null when not built. */
export function remoteFiles(dist = path.join(ROOT, 'frontend/dist')): { initial: RemoteFile[]; lazy: RemoteFile[] } | null {
  const entry = path.join(dist, 'remoteEntry.js')
  if (!existsSync(entry)) return null
  const { initial, lazy } = remoteGraph(entry, (f) => (existsSync(f) ? readFileSync(f, 'utf8') : null))
  const sized = (files: string[]) =>
    files.map((f) => ({ file: path.relative(dist, f), gzipBytes: gzipSync(readFileSync(f), { level: 9 }).length })).sort((a, b) => b.gzipBytes - a.gzipBytes)
  return { initial: sized(initial), lazy: sized(lazy) }
}

export interface RemoteSize {
  initialGzipKB: number
  lazyGzipKB: number
  initialFiles: number
  lazyFiles: number
  /** false: no build found (run `npm run build`); the sizes are 0 */
  built: boolean
}

export const kB = (bytes: number) => Math.round((bytes / 1024) * 10) / 10

export function remoteSize(dist = path.join(ROOT, 'frontend/dist')): RemoteSize {
  const files = remoteFiles(dist)
  if (!files) return { initialGzipKB: 0, lazyGzipKB: 0, initialFiles: 0, lazyFiles: 0, built: false }
  const sum = (xs: RemoteFile[]) => kB(xs.reduce((s, f) => s + f.gzipBytes, 0))
  return {
    initialGzipKB: sum(files.initial),
    lazyGzipKB: sum(files.lazy),
    initialFiles: files.initial.length,
    lazyFiles: files.lazy.length,
    built: true,
  }
}
