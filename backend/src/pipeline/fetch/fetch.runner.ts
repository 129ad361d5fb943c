/**
 * Main-thread side of the fetch: claims the import, starts the worker, persists each
 * checkpoint it reports and moves the status when it ends.
 */
import path from 'node:path'
import { mkdir, rm } from 'node:fs/promises'
import type { GenerationDetails, SourceCredentials } from '@cm/contracts'
import type { ModuleContext } from '../../context.ts'
import { em } from '../../context.ts'
import { ImportEntity } from '../../db/import.entity.ts'
import { runJob, jobName, startOnce, type RunningJob } from '../../jobs/job.runner.ts'
import type { FetchJobMessage, FetchJobPayload } from '../../jobs/fetch.job.ts'
import { openCredentials } from '../../security/credentials.store.ts'
import { SecretOpenError } from '../../security/credential-cipher.ts'
import { claimLease, keepLease, LEASE_FREE, releaseLease } from '../lease.ts'
import { moveStatus } from '../status.machine.ts'
import { removeImportFiles } from './work-dir.ts'

export function xmlPathFor(ctx: ModuleContext, importId: number): string {
  return path.join(ctx.ports.storage.dir, `import-${importId}.xml`)
}

/** Starts (or resumes) the fetch of an import in `awaiting_xml`; no-op if it runs or is being started already. */
export async function startFetch(ctx: ModuleContext, importId: number): Promise<void> {
  await startOnce(ctx, jobName('fetch', importId), () => launchFetch(ctx, importId))
}

async function launchFetch(ctx: ModuleContext, importId: number): Promise<void> {
  const e = em(ctx)
  const row = await e.findOne(ImportEntity, { id: importId })
  if (!row || row.status !== 'awaiting_xml' || !row.credentials) return
  if (!(await claimLease(ctx, e, importId))) return
  // opened under the lease: an instance without the key never fails a fetch another one runs
  const credentials = await openOrFail(ctx, importId, row.credentials, row.generation)
  if (!credentials) {
    await releaseLease(ctx, em(ctx), importId)
    return
  }
  const filePath = row.filePath ?? xmlPathFor(ctx, importId)
  await mkdir(path.dirname(filePath), { recursive: true })
  const generation = row.generation
  if (row.checkpoint) generation.resumes++
  const payload: FetchJobPayload = {
    importId,
    credentials,
    filePath,
    header: { platform: row.platform, domain: row.domain, generatedAt: ctx.clock.now().toISOString() },
    checkpoint: row.checkpoint ?? null,
    generation,
    settings: {
      allowPrivateSources: ctx.settings.allowPrivateSources,
      allowHttpSources: ctx.settings.allowHttpSources,
      source: ctx.settings.source,
    },
  }
  await e.nativeUpdate(ImportEntity, { id: importId }, { filePath, generation })
  let ended = false
  let job: RunningJob | null = null
  let stopLease = () => {}
  /** the result arrived: its status update frees the lease, which must not be renewed after it */
  const markEnded = () => {
    ended = true
    stopLease()
  }
  /** the import left awaiting_xml behind this job's back (usuń źródło on another instance): stop calling the source */
  const abandon = () => {
    ctx.settings.log('info', 'fetch stopped: the import no longer awaits its file', { importId })
    void job?.cancel().catch(() => {})
  }
  // persistence is chained so checkpoints land in order and before the final move
  let queue: Promise<unknown> = Promise.resolve()
  const onMessage = (m: unknown) => {
    const msg = m as FetchJobMessage
    queue = queue.then(() => handle(ctx, importId, msg, markEnded, abandon)).catch((err: unknown) =>
      ctx.settings.log('error', 'fetch: persisting a job message failed', { importId, error: String(err) }),
    )
  }
  const running = await runJob(ctx.runtime!.bree, 'fetch', importId, payload, onMessage)
  job = running
  stopLease = keepLease(ctx, () => em(ctx), importId, abandon)
  if (ended) stopLease()
  ctx.jobs.set(running.name, running)
  ctx.settings.log('info', 'fetch started', { importId, resumed: Boolean(row.checkpoint) })
  void running.done
    .then(async () => {
      await queue
      stopLease()
      ctx.jobs.delete(running.name)
      const e2 = em(ctx)
      if (!ctx.stopping) {
        const current = await e2.findOne(ImportEntity, { id: importId })
        if (!ended && current?.status === 'awaiting_xml') {
          const g = current.generation
          g.lastError = { code: 'SOURCE_BAD_RESPONSE', message: 'the fetch worker stopped unexpectedly', at: ctx.clock.now().toISOString() }
          await moveStatus(ctx, e2, importId, ['awaiting_xml'], 'fetch_failed', { generation: g, ...LEASE_FREE })
        }
        // usuń źródło answered elsewhere removed the file it knew of; what this worker wrote goes too
        if (!current || current.status === 'source_deleted') await removeImportFiles(filePath)
      }
      await releaseLease(ctx, e2, importId)
    })
    .catch((err: unknown) => ctx.settings.log('error', 'fetch: closing the job failed', { importId, error: String(err) }))
}

/**
 * Credentials sealed with a key the host no longer gives (removed before start() re-sealed them)
 * or altered: the fetch cannot run. The import fails with the reason instead of throwing, which
 * would stop the module's start and every later sweep; the sealed value stays, so a host that
 * gives the key back can resume it.
 */
async function openOrFail(ctx: ModuleContext, importId: number, sealed: string, generation: GenerationDetails): Promise<SourceCredentials | null> {
  try {
    return openCredentials(ctx, importId, sealed)
  } catch (err) {
    // a SecretOpenError names a key id at most; a JSON or schema error could quote the plaintext
    const reason = err instanceof SecretOpenError ? err.message : (err as Error).name
    ctx.settings.log('warn', 'fetch cannot start: the stored credentials cannot be opened', { importId, reason })
    generation.lastError = {
      code: 'CREDENTIALS_UNREADABLE',
      message: 'The stored credentials cannot be opened with the current keys (was a key removed?). Delete the source and create the import again. / Zapisanych danych logowania nie da się odczytać obecnymi kluczami. Usuń źródło i utwórz import ponownie.',
      at: ctx.clock.now().toISOString(),
    }
    await moveStatus(ctx, em(ctx), importId, ['awaiting_xml'], 'fetch_failed', { generation, ...LEASE_FREE })
    return null
  }
}

async function handle(ctx: ModuleContext, importId: number, msg: FetchJobMessage, markEnded: () => void, abandon: () => void): Promise<void> {
  const e = em(ctx)
  if (msg.type === 'checkpoint') {
    const n = await e.nativeUpdate(
      ImportEntity,
      { id: importId, status: 'awaiting_xml' },
      { checkpoint: msg.checkpoint, fetched: msg.progress.fetched, total: msg.progress.total, generation: msg.generation, fileSize: msg.checkpoint.bytes },
    )
    if (n > 0) ctx.events.publish({ type: 'progress', importId: String(importId), progress: msg.progress })
    // nobody waits for this file any more (the only ways out of awaiting_xml while the job runs
    // are usuń źródło and a row that is gone): the rest of the fetch would only keep calling the source
    else abandon()
    return
  }
  if (msg.type !== 'result') return
  markEnded()
  const r = msg.result
  if (r.ok) {
    // the file is complete: the credentials are no longer needed, so they are wiped
    await moveStatus(ctx, e, importId, ['awaiting_xml'], 'awaiting_verification', {
      generation: r.generation,
      fileSize: r.bytes,
      fileCustomers: r.customers,
      checkpoint: null,
      credentials: null,
      ...LEASE_FREE,
    })
    ctx.settings.log('info', 'fetch finished', { importId, customers: r.customers, bytes: r.bytes })
  } else {
    r.generation.lastError = { code: r.code, message: r.message, at: ctx.clock.now().toISOString() }
    await moveStatus(ctx, e, importId, ['awaiting_xml'], 'fetch_failed', { generation: r.generation, ...LEASE_FREE })
    ctx.settings.log('warn', 'fetch failed', { importId, code: r.code })
  }
}

/** usuń źródło during a fetch: the worker aborts at once; the caller then removes the file. */
export async function cancelFetch(ctx: ModuleContext, importId: number): Promise<void> {
  const job = ctx.jobs.get(jobName('fetch', importId))
  if (job) await job.cancel()
}
