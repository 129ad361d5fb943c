/**
 * bree entry: verify an import's XML file and stream its customers to the main thread in
 * acknowledged batches (the main thread inserts them; the ack keeps memory flat). Two batches
 * may be on their way at once, so the worker parses the next while the main thread inserts.
 */
import type { CanonicalCustomer, Verification } from '@cm/contracts'
import { runAsJob } from './job.worker.ts'
import { verifyCustomerXml } from '../pipeline/xml/xml.verifier.ts'

export interface VerifyJobPayload {
  importId: number
  filePath: string
  maxBytes: number
  batchSize: number
}
export type VerifyJobMessage =
  | { type: 'batch'; customers: CanonicalCustomer[]; firstPosition: number }
  | { type: 'result'; result: VerifyJobResult }

export type VerifyJobResult = Verification & { header?: { platform: string; domain: string } }

const IN_FLIGHT = 2

runAsJob<VerifyJobPayload>(async ({ payload, signal, post, next }): Promise<VerifyJobResult> => {
  let batch: CanonicalCustomer[] = []
  let position = 0
  let unacknowledged = 0
  const flush = async () => {
    if (batch.length === 0) return
    post({ type: 'batch', customers: batch, firstPosition: position - batch.length })
    batch = []
    unacknowledged++
    if (unacknowledged >= IN_FLIGHT) {
      await next('ack')
      unacknowledged--
    }
  }
  const drain = async () => {
    for (; unacknowledged > 0; unacknowledged--) await next('ack')
  }
  const r = await verifyCustomerXml(payload.filePath, {
    maxBytes: payload.maxBytes,
    signal,
    onCustomer: async (c) => {
      batch.push(c)
      position++
      if (batch.length >= payload.batchSize) await flush()
    },
  })
  if (r.ok) await flush()
  // the result goes out only once every batch is stored (or the main thread stopped acknowledging)
  if (r.ok) await drain()
  const header = r.header ? { platform: r.header.platform, domain: r.header.domain } : undefined
  return { ok: r.ok, errors: r.errors, customers: r.customers, finishedAt: new Date().toISOString(), ...(header ? { header } : {}) }
})
