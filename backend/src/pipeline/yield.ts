/**
 * Background work (verify, import, notify) shares the host's event loop with the HTTP routes. On
 * SQLite every statement is synchronous, so a chain of awaits never lets a request in: a batch
 * would hold the loop for its whole length (~200 ms at 500 customers) and every list request
 * behind it waits that long. The pipeline calls `breathe()` between pieces of work; it gives the
 * loop back once the current slice has run longer than SLICE_MS and costs nothing otherwise.
 */
import { performance } from 'node:perf_hooks'

export const SLICE_MS = 10
let sliceStart = performance.now()

export async function breathe(): Promise<void> {
  if (performance.now() - sliceStart < SLICE_MS) return
  await new Promise((r) => setImmediate(r))
  sliceStart = performance.now()
}
