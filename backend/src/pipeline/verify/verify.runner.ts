/**
 * Main-thread side of Sprawdź i zaimportuj: the worker verifies the file and streams its
 * customers; they are inserted batch by batch but stay invisible until the status turns
 * `buffered` in one update. A rejected or interrupted file leaves no row behind.
 */
import type { ModuleContext } from '../../context.ts'
import { em } from '../../context.ts'
import { ImportEntity } from '../../db/import.entity.ts'
import { BufferCustomerEntity } from '../../db/buffer-customer.entity.ts'
import { runJob, jobName, startOnce } from '../../jobs/job.runner.ts'
import type { VerifyJobMessage, VerifyJobPayload, VerifyJobResult } from '../../jobs/verify.job.ts'
import { PlatformId } from '@cm/contracts'
import { afterChange } from '../import/import.service.ts'
import { newBufferRow } from '../buffer/buffer.rows.ts'
import { insertBufferRows } from '../buffer/buffer.insert.ts'
import { deleteBufferRows } from '../buffer/buffer.cleanup.ts'
import { claimLease, keepLease, LEASE_FREE, releaseLease } from '../lease.ts'
import { moveStatus } from '../status.machine.ts'

export const VERIFY_BATCH = 500

/** Runs verification of an import already moved to `verifying`. */
export async function startVerify(ctx: ModuleContext, importId: number): Promise<void> {
  // a second start would clear the buffer the first is loading
  await startOnce(ctx, jobName('verify', importId), () => launchVerify(ctx, importId))
}

async function launchVerify(ctx: ModuleContext, importId: number): Promise<void> {
  const e = em(ctx)
  const row = await e.findOne(ImportEntity, { id: importId })
  if (!row || row.status !== 'verifying' || !row.filePath) return
  if (!(await claimLease(ctx, e, importId))) return
  await deleteBufferRows(e, importId)
  const payload: VerifyJobPayload = { importId, filePath: row.filePath, maxBytes: ctx.settings.maxUploadBytes, batchSize: VERIFY_BATCH }
  let ended = false
  let stopLease = () => {}
  let queue: Promise<unknown> = Promise.resolve()
  // eslint-disable-next-line prefer-const
  let post: (m: unknown) => void = () => {}
  const onMessage = (m: unknown) => {
    const msg = m as VerifyJobMessage
    queue = queue
      .then(async () => {
        if (msg.type === 'batch') {
          const now = ctx.clock.now()
          const rows = msg.customers.map((c, i) => newBufferRow(importId, msg.firstPosition + i, c, now))
          const e2 = em(ctx)
          await e2.transactional((tx) => insertBufferRows(tx, rows))
          post({ type: 'ack' })
        } else if (msg.type === 'result') {
          ended = true
          // the final status frees the lease in the same update; no renewal after it
          stopLease()
          await finish(ctx, importId, msg.result)
        }
      })
      .catch((err: unknown) => {
        ctx.settings.log('error', 'verify: loading a batch failed', { importId, error: String(err) })
        void job.cancel()
      })
  }
  const job = await runJob(ctx.runtime!.bree, 'verify', importId, payload, onMessage)
  stopLease = keepLease(ctx, () => em(ctx), importId, () => void job.cancel().catch(() => {}))
  if (ended) stopLease()
  post = job.post
  ctx.jobs.set(job.name, job)
  void job.done.then(async () => {
    await queue
    stopLease()
    ctx.jobs.delete(job.name)
    const e2 = em(ctx)
    if (!ended && !ctx.stopping) {
      // interrupted: roll back to before the click, nothing half-loaded stays
      await deleteBufferRows(e2, importId)
      await moveStatus(ctx, e2, importId, ['verifying'], 'awaiting_verification', LEASE_FREE)
    }
    await releaseLease(ctx, e2, importId)
  })
}

async function finish(ctx: ModuleContext, importId: number, result: VerifyJobResult): Promise<void> {
  const e = em(ctx)
  const { header, ...verification } = result
  if (verification.ok) {
    // an uploaded file names its platform and source shop only in its root element
    const row = await e.findOne(ImportEntity, { id: importId })
    const named = row?.origin === 'upload' && header ? { platform: PlatformId.safeParse(header.platform).success ? header.platform : '', domain: header.domain.slice(0, 255) } : {}
    await moveStatus(ctx, e, importId, ['verifying'], 'buffered', { verification, fileCustomers: verification.customers ?? null, ...named, ...LEASE_FREE })
    await afterChange(ctx, e, importId)
  } else {
    await deleteBufferRows(e, importId)
    await moveStatus(ctx, e, importId, ['verifying'], 'verification_failed', { verification, ...LEASE_FREE })
  }
  ctx.settings.log('info', 'verification finished', { importId, ok: verification.ok, customers: verification.customers })
}
