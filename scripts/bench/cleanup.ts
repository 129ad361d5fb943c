/**
 * Everything the bench starts or creates registers its undo here; the undos run in reverse order
 * on success, on an error and on Ctrl+C / SIGTERM, so no child process, server or file is left.
 * All files live under one folder of os.tmpdir() (a test run points TMPDIR at its own folder).
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'

type Undo = { label: string; run: () => Promise<void> | void }
const undos: Undo[] = []
/** children to SIGKILL synchronously if the process exits before the undos ran */
const children = new Set<ChildProcess>()
let cleaning: Promise<void> | null = null

export function onCleanup(label: string, run: Undo['run']): void {
  undos.push({ label, run })
}

/** removed by the last undo, or on a forced exit by the 'exit' handler */
let workDir: { dir: string; keep: () => boolean } | null = null

export function makeWorkDir(keep: () => boolean): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cm-bench-'))
  workDir = { dir, keep }
  onCleanup('work dir', () => {
    workDir = null
    if (keep()) console.log(`kept: ${dir}`)
    else rmSync(dir, { recursive: true, force: true })
  })
  return dir
}

export const exited = (c: ChildProcess) => c.exitCode !== null || c.signalCode !== null

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the child is gone */
export async function stopChild(child: ChildProcess, graceMs = 3_000): Promise<void> {
  children.delete(child)
  if (exited(child)) return
  const gone = new Promise<void>((r) => child.once('exit', () => r()))
  child.kill('SIGTERM')
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs)
  await gone
  clearTimeout(t)
}

export function trackChild(label: string, child: ChildProcess): void {
  children.add(child)
  onCleanup(label, () => stopChild(child))
}

/** true once a signal or the end started the undos (errors after that are the undos' doing) */
export const stopping = () => cleaning !== null

export function runCleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const u of undos.splice(0).reverse()) {
      try {
        await u.run()
      } catch (err) {
        console.error(`cleanup of ${u.label} failed: ${(err as Error).message}`)
      }
    }
  })()
  return cleaning
}

export function installSignalHandlers(): void {
  let firstAt = 0
  const stop = (signal: string) => {
    // Ctrl+C reaches us twice (the terminal's group signal, then tsx relays it): only a signal
    // well after the first means "now"
    if (cleaning) {
      if (Date.now() - firstAt > 3_000) process.exit(130)
      return
    }
    firstAt = Date.now()
    console.error(`\n${signal}: stopping the bench and cleaning up…`)
    void runCleanup().finally(() => process.exit(130))
  }
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('SIGTERM', () => stop('SIGTERM'))
  // last resort (an exit before the undos ran): no child outlives the bench, no folder stays
  process.on('exit', () => {
    for (const c of children) if (!exited(c)) c.kill('SIGKILL')
    if (workDir && !workDir.keep()) rmSync(workDir.dir, { recursive: true, force: true })
  })
}
