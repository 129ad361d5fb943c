import { describe, expect, it } from 'vitest'
import { dynamicImports, remoteGraph } from './remote.ts'

describe("the remote's initial and lazy JS", () => {
  it('finds the dynamic imports of a built chunk, also inside the preload wrapper', () => {
    const code = 'import{t}from"./a.js";const l=()=>n(()=>import(`./assets/lazy.js`),__vite__mapDeps([0]));import("./lazy2.js");x.import("y")'
    expect(dynamicImports(code)).toEqual(['./assets/lazy.js', './lazy2.js'])
  })

  it("counts what a host loads before anything renders: the entry, its exposes and shared map, and their static imports", () => {
    const files: Record<string, string> = {
      '/d/remoteEntry.js': 'import{r}from"./assets/runtime.js";const g={"./mount":()=>import("./assets/mount.js")};const m=()=>import("./assets/sharedMap.js")',
      '/d/assets/runtime.js': 'export const r=1',
      '/d/assets/sharedMap.js': 'const v=()=>import("./x__prebuild__vue__prebuild__-1.js")',
      '/d/assets/x__prebuild__vue__prebuild__-1.js': 'export default {}',
      '/d/assets/mount.js': 'import{a}from"./App.js";export{a}',
      '/d/assets/App.js': 'import"./x__prebuild__vue__prebuild__-1.js";const v=()=>import("./Screen.js")',
      '/d/assets/Screen.js': 'import{d}from"./dialog-lib.js";const dlg=()=>import("./Dialog.js")',
      '/d/assets/dialog-lib.js': 'export const d=1',
      '/d/assets/Dialog.js': 'export default 1',
      '/d/assets/preview-index.js': 'import"./mount.js"',
    }
    const g = remoteGraph('/d/remoteEntry.js', (f) => files[f] ?? null)
    expect(g.initial.sort()).toEqual(['/d/assets/App.js', '/d/assets/mount.js', '/d/assets/runtime.js', '/d/assets/sharedMap.js', '/d/remoteEntry.js'])
    expect(g.lazy.sort()).toEqual(['/d/assets/Dialog.js', '/d/assets/Screen.js', '/d/assets/dialog-lib.js'])
  })
})
