/**
 * Runs one job of this module on the host's bree: one worker per import and stage, named
 * `cm-<stage>-<importId>`, removed from bree when it ends.
 */
import { fileURLToPath } from 'node:url'
import type Bree from 'bree'
import type { Worker } from 'node:worker_threads'

export const WORKER_SHIM = fileURLToPath(new URL('./worker-shim.mjs', import.meta.url))
export const JOB_FILES = {
  fetch: fileURLToPath(new URL('./fetch.job.ts', import.meta.url)),
  verify: fileURLToPath(new URL('./verify.job.ts', import.meta.url)),
} as const
export type JobKind = keyof typeof JOB_FILES

export interface RunningJob {
  name: string
  /** resolves when the worker is gone, whatever the reason */
  done: Promise<void>
  post(message: unknown): void
  /** bree's cancel: the job aborts and exits at once */
  cancel(): Promise<void>
}

export function jobName(kind: JobKind, importId: number): string {
  return `cm-${kind}-${importId}`
}

export async function runJob(
  bree: Bree,
  kind: JobKind,
  importId: number,
  payload: unknown,
  onMessage: (message: unknown) => void,
): Promise<RunningJob> {
  const name = jobName(kind, importId)
  if (bree.config.jobs.some((j) => j.name === name)) await bree.remove(name)
  await bree.add({ name, path: WORKER_SHIM, worker: { workerData: { tsJob: JOB_FILES[kind], payload } } })
  let resolveDone!: () => void
  const done = new Promise<void>((r) => (resolveDone = r))
  const onDeleted = (n: string) => {
    if (n !== name) return
    bree.off('worker deleted', onDeleted)
    void bree.remove(name).catch(() => {}).finally(resolveDone)
  }
  bree.on('worker deleted', onDeleted)
  await bree.run(name)
  const worker = bree.workers.get(name) as Worker | undefined
  if (!worker) throw new Error(`job ${name} did not start`)
  worker.on('message', (m: unknown) => {
    if (m !== 'done') onMessage(m)
  })
  return {
    name,
    done,
    post: (m) => (bree.workers.get(name) as Worker | undefined)?.postMessage(m),
    cancel: async () => {
      if (bree.workers.has(name)) await bree.stop(name)
      await done
    },
  }
}

/**
 * Starts a job of one import at most once in this process: the sweep and a request may call
 * at the same moment, and only the first goes on (`launch` does the real work).
 */
export async function startOnce(ctx: { stopping: boolean; jobs: Map<string, RunningJob>; starting: Set<string> }, name: string, launch: () => Promise<void>): Promise<void> {
  if (ctx.stopping || ctx.jobs.has(name) || ctx.starting.has(name)) return
  ctx.starting.add(name)
  try {
    await launch()
  } finally {
    ctx.starting.delete(name)
  }
}
