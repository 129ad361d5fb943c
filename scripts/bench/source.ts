/** The bench's side of the source shop child (scripts/bench/source-shop.ts): start, read its log, stop. */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { ROOT } from '../../e2e/flow/host-process.ts'
import { exited, stopChild, trackChild } from './cleanup.ts'
import { peakRssMBOf } from './proc.ts'
import type { RecordedRequest, SourceReady } from './source-shop.ts'

export interface SourceShop extends SourceReady {
  child: ChildProcess
  /** every request the product sent so far, in order */
  requests(): Promise<RecordedRequest[]>
  peakRssMB(): number | null
  stop(): Promise<void>
}

export async function startSourceShop(platform: string, count: number): Promise<SourceShop> {
  // the demo generators build the whole base in memory: 1.1–1.5 kB of heap a customer with its
  // addresses (and subscribers) at 1,000,000, measured for all five platforms; room for twice that
  const heapMB = Math.max(2048, Math.ceil((count * 3) / 1024) + 1024)
  const child = spawn(process.execPath, [`--max-old-space-size=${heapMB}`, '--import', 'tsx', 'scripts/bench/source-shop.ts'], {
    cwd: ROOT,
    env: { ...process.env, BENCH_SOURCE: JSON.stringify({ platform, count }) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  trackChild('source shop', child)
  const errors: string[] = []
  child.stderr!.on('data', (d: Buffer) => errors.push(d.toString()))
  const ready = await new Promise<SourceReady>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      try {
        const msg = JSON.parse(line) as SourceReady
        if (msg.ready) resolve(msg)
      } catch {
        // not our line
      }
    })
    child.once('exit', (code, signal) => reject(new Error(`the source shop exited (${code ?? signal}) before it was ready:\n${errors.join('').slice(-2000)}`)))
  })
  return {
    ...ready,
    child,
    async requests() {
      const res = await fetch(`${ready.url}/__bench/log`)
      const text = await res.text()
      return text ? text.split('\n').map((l) => JSON.parse(l) as RecordedRequest) : []
    },
    peakRssMB: () => peakRssMBOf(child.pid),
    stop: () => (exited(child) ? Promise.resolve() : stopChild(child)),
  }
}
