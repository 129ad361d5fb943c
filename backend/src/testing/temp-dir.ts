/**
 * Temp folders for tests, under os.tmpdir(). The test removes its folder when done; whatever a
 * failing test skipped is removed when its process exits, so a run leaves no folder behind.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

const made = new Set<string>()
process.once('exit', () => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true })
})

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  made.add(dir)
  return dir
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  made.delete(dir)
}
