// Prints the remote's own JavaScript after a build (without the shared vue/pinia chunks), gzipped:
// what a host loads before the first screen and what loads lazily, with the largest initial
// chunks. The walk over the built files is scripts/bench/remote.ts (the bench reports the same).
import { tsImport } from 'tsx/esm/api'

const { remoteFiles, kB } = await tsImport('./bench/remote.ts', import.meta.url)
const files = remoteFiles()
if (!files) {
  console.error('remote-size: frontend/dist/remoteEntry.js is missing (the build failed?)')
  process.exit(1)
}
const sum = (xs) => xs.reduce((s, f) => s + f.gzipBytes, 0)
console.log(`remote's own JS, gzipped, without the shared vue/pinia:`)
console.log(`  initial (remoteEntry + exposed modules' static imports): ${kB(sum(files.initial))} kB in ${files.initial.length} files`)
console.log(`  lazy (dynamic imports: screens, dialogs, libraries): ${kB(sum(files.lazy))} kB in ${files.lazy.length} files`)
console.log(`  largest initial: ${files.initial.slice(0, 5).map((f) => `${f.file.replace(/^assets\//, '').slice(0, 40)} ${kB(f.gzipBytes)} kB`).join(', ')}`)
