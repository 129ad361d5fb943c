// Prints the remote's own JavaScript (without the shared vue/pinia chunks), raw and gzipped.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { gzipSync } from 'node:zlib'

const dist = path.resolve(import.meta.dirname, '../frontend/dist')
const files = []
const walk = (d) => readdirSync(d).forEach((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : files.push(path.join(d, n))))
walk(dist)
const js = files.filter((f) => f.endsWith('.js'))
// vue and pinia are shared singletons: the host's copies are used, these chunks are fallbacks
const shared = (f) => /__prebuild__(vue|pinia)__prebuild__/.test(path.basename(f))
let raw = 0
let gz = 0
for (const f of js.filter((f) => !shared(f))) {
  const b = readFileSync(f)
  raw += b.length
  gz += gzipSync(b, { level: 9 }).length
}
const kb = (n) => `${(n / 1024).toFixed(1)} kB`
console.log(`remote's own JS (without shared vue/pinia): ${kb(raw)} raw, ${kb(gz)} gzipped, in ${js.filter((f) => !shared(f)).length} files`)
