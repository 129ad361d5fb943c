/** The worker side of every job: cancel handling, messages to the main thread, clean exit. */
import { parentPort, workerData } from 'node:worker_threads'

export interface JobIo<P> {
  payload: P
  signal: AbortSignal
  post(message: unknown): void
  /** the main thread's next message of this type (flow control); one that came before anyone waited is kept for the next call */
  next(type: string): Promise<unknown>
}

export function runAsJob<P>(body: (io: JobIo<P>) => Promise<unknown>): void {
  if (!parentPort) throw new Error('a job runs in a worker thread')
  const port = parentPort
  const abort = new AbortController()
  const waiters = new Map<string, (m: unknown) => void>()
  const early = new Map<string, unknown[]>()
  port.on('message', (m: unknown) => {
    if (m === 'cancel') {
      // bree.stop() hangs if anything is posted after 'cancel': abort and leave at once
      abort.abort()
      process.exit(0)
    }
    const type = (m as { type?: string } | null)?.type
    if (!type) return
    const w = waiters.get(type)
    if (w) {
      waiters.delete(type)
      w(m)
    } else {
      early.set(type, [...(early.get(type) ?? []), m])
    }
  })
  const io: JobIo<P> = {
    payload: (workerData as { payload: P }).payload,
    signal: abort.signal,
    post: (m) => port.postMessage(m),
    next: (type) => {
      const kept = early.get(type)
      if (kept?.length) return Promise.resolve(kept.shift())
      return new Promise((r) => waiters.set(type, r))
    },
  }
  body(io)
    .then((result) => port.postMessage({ type: 'result', result }))
    .catch((e: unknown) => port.postMessage({ type: 'crash', message: e instanceof Error ? e.message : String(e) }))
    .finally(() => port.postMessage('done'))
}
