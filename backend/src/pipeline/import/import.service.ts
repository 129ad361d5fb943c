/** The admin's import actions on the buffer: by ids, everything matching, skip; and completion. */
import type { EntityManager } from '@mikro-orm/core'
import type { BufferFilter, CustomerEdit, CustomerImportResult, ImportCounts, Locale } from '@cm/contracts'
import type { ModuleContext } from '../../context.ts'
import { em } from '../../context.ts'
import { BufferCustomerEntity } from '../../db/buffer-customer.entity.ts'
import { ImportEntity, type ImportRow } from '../../db/import.entity.ts'
import { bufferWhere } from '../buffer/buffer.query.ts'
import { saveEdit } from '../buffer/buffer.edit.ts'
import { moveStatus } from '../status.machine.ts'
import { countsOf } from '../buffer/buffer.counts.ts'
import { IMPORT_BATCH, claimRows, externalRefOf, importClaimed } from './import.stage.ts'
import { breathe } from '../yield.ts'

export async function importByIds(
  ctx: ModuleContext,
  imp: ImportRow,
  ids: number[],
  edits: Record<string, CustomerEdit> | undefined,
  locale: Locale,
): Promise<CustomerImportResult[]> {
  const e = em(ctx)
  for (const [id, edit] of Object.entries(edits ?? {})) {
    if (ids.includes(Number(id))) await saveEdit(ctx, e, imp.id, Number(id), edit, locale)
  }
  const results: CustomerImportResult[] = []
  for (let i = 0; i < ids.length; i += IMPORT_BATCH) {
    const claimed = await claimRows(ctx, e, imp.id, ids.slice(i, i + IMPORT_BATCH))
    results.push(...(await importClaimed(ctx, e, imp, claimed, locale)))
  }
  // ids not claimed (already imported, skipped, held by another click, unknown) report their state
  const answered = new Set(results.map((r) => r.id))
  const rest = ids.filter((id) => !answered.has(String(id)))
  if (rest.length) {
    const rows = await e.find(BufferCustomerEntity, { importId: imp.id, id: { $in: rest } })
    for (const r of rows) {
      const state = r.state === 'importing' ? 'pending' : (r.state as CustomerImportResult['state'])
      results.push({ id: String(r.id), ok: r.state === 'imported', state, errors: r.errors ?? [], ...(r.panelCustomerId ? { panelCustomerId: r.panelCustomerId } : {}) })
    }
  }
  await afterChange(ctx, e, imp.id)
  return results
}

/** Everything matching the filter, in the background, batch by batch. Returns how many were queued. */
export async function importAll(ctx: ModuleContext, imp: ImportRow, filter: BufferFilter | undefined, locale: Locale): Promise<number> {
  const e = em(ctx)
  const where = bufferWhere(imp.id, { ...filter, state: filter?.state?.length ? filter.state : ['pending', 'failed'] })
  const queued = await e.count(BufferCustomerEntity, where)
  const key = `import:${imp.id}`
  // a second click while it runs only reports the queue
  if (ctx.background.has(key)) return queued
  ctx.background.add(key)
  void (async () => {
    let after = 0
    try {
      for (;;) {
        const e2 = em(ctx)
        const current = await e2.findOne(ImportEntity, { id: imp.id })
        if (!current || current.status !== 'buffered' || ctx.stopping) break
        const page = await e2.find(BufferCustomerEntity, { $and: [where, { id: { $gt: after } }] }, { fields: ['id'], orderBy: { id: 'asc' }, limit: IMPORT_BATCH })
        if (page.length === 0) break
        after = page[page.length - 1]!.id
        await breathe()
        const claimed = await claimRows(ctx, e2, imp.id, page.map((r) => r.id))
        await importClaimed(ctx, e2, current, claimed, locale)
        await breathe()
        // counts and status move together: nobody sees "0 pending" on a still-buffered import
        await afterChange(ctx, e2, imp.id)
        await breathe()
      }
    } catch (err) {
      ctx.settings.log('error', 'import all stopped', { importId: imp.id, error: String(err) })
    } finally {
      ctx.background.delete(key)
      await afterChange(ctx, em(ctx), imp.id).catch(() => {})
    }
  })()
  return queued
}

export async function skip(ctx: ModuleContext, imp: ImportRow, ids: number[]): Promise<number> {
  const e = em(ctx)
  const n = await e.nativeUpdate(
    BufferCustomerEntity,
    { importId: imp.id, id: { $in: ids }, state: { $in: ['pending', 'failed'] } },
    { state: 'skipped', updatedAt: ctx.clock.now() },
  )
  await afterChange(ctx, e, imp.id)
  return n
}

/** Przywróć: a skipped customer is pending again (its last errors stay visible). */
export async function restore(ctx: ModuleContext, imp: ImportRow, ids: number[]): Promise<number> {
  const e = em(ctx)
  const n = await e.nativeUpdate(BufferCustomerEntity, { importId: imp.id, id: { $in: ids }, state: 'skipped' }, { state: 'pending', updatedAt: ctx.clock.now() })
  await afterChange(ctx, e, imp.id)
  return n
}

/** `completed` once nothing is left to import; back to `buffered` if something is again. */
export async function afterChange(ctx: ModuleContext, e: EntityManager, importId: number): Promise<ImportCounts> {
  const counts = await publishCounts(ctx, e, importId)
  const open = counts.pending + counts.failed
  if (open === 0) await moveStatus(ctx, e, importId, ['buffered'], 'completed')
  else await moveStatus(ctx, e, importId, ['completed'], 'buffered')
  return counts
}

async function publishCounts(ctx: ModuleContext, e: EntityManager, importId: number): Promise<ImportCounts> {
  const counts = (await countsOf(e, [importId])).get(importId)!
  ctx.events.publish({ type: 'counts', importId: String(importId), counts })
  return counts
}

/** After a crash: rows a batch held are imported if the host has them, else pending again. */
export async function recoverClaims(ctx: ModuleContext): Promise<void> {
  const e = em(ctx)
  for (;;) {
    const rows = await e.find(BufferCustomerEntity, { state: 'importing' }, { limit: IMPORT_BATCH })
    if (rows.length === 0) return
    const refs = rows.map((r) => externalRefOf(r.importId, r.sourceId))
    const found = new Map((await ctx.ports.customers.findByExternalRefs(refs)).map((f) => [f.externalRef, f]))
    for (const r of rows) {
      const hit = found.get(externalRefOf(r.importId, r.sourceId))
      await e.nativeUpdate(
        BufferCustomerEntity,
        { id: r.id },
        hit
          ? { state: 'imported', panelCustomerId: hit.id, login: hit.login, importedAt: ctx.clock.now(), claimToken: null, errors: null, errorCodes: '' }
          : { state: 'pending', claimToken: null },
      )
    }
  }
}
