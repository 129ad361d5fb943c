/** The import's life: create (from a source or an upload), verify, resume, delete the source. */
import { rm } from 'node:fs/promises'
import type { CreateImportRequest, ImportStatus } from '@cm/contracts'
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core'
import type { ModuleContext } from '../context.ts'
import { em } from '../context.ts'
import { ImportEntity, type ImportRow } from '../db/import.entity.ts'
import { connectorFor } from '../connectors/registry.ts'
import { HttpError, conflict, notFound } from '../http/http-error.ts'
import { checkSourceUrl } from '../security/address-guard.ts'
import { sealCredentials } from '../security/credentials.store.ts'
import type { Caller } from '../ports.ts'
import { cancelFetch, startFetch } from './fetch/fetch.runner.ts'
import { emptyGeneration } from './fetch/generation.ts'
import { startVerify } from './verify/verify.runner.ts'
import { moveStatus } from './status.machine.ts'
import { jobName } from '../jobs/job.runner.ts'
import { removeImportFiles } from './fetch/work-dir.ts'

export async function getImport(ctx: ModuleContext, id: number): Promise<ImportRow> {
  const row = await em(ctx).findOne(ImportEntity, { id })
  if (!row) throw notFound()
  return row
}

export async function assertShops(ctx: ModuleContext, shopIds: string[]): Promise<void> {
  const known = new Set((await ctx.ports.shops.list()).map((s) => s.id))
  const unknown = shopIds.filter((id) => !known.has(id))
  if (unknown.length) throw new HttpError(422, 'SHOP_UNKNOWN', undefined, { shopIds: unknown })
}

export async function assertSourceAllowed(ctx: ModuleContext, domain: string): Promise<void> {
  const r = await checkSourceUrl(domain, { allowPrivate: ctx.settings.allowPrivateSources, allowHttp: ctx.settings.allowHttpSources })
  if (!r.ok) throw new HttpError(422, 'SOURCE_ADDRESS_NOT_ALLOWED', undefined, { reason: r.reason })
}

export const runningKeyOf = (platform: string, domain: string) => `${platform}:${domain.toLowerCase()}`

/** the unique runningKey refuses a second fetch from the same shop, also across instances */
function isUniqueViolation(e: unknown): boolean {
  return e instanceof UniqueConstraintViolationException
}

async function insertHoldingSource(e: EntityManager, row: ReturnType<typeof newImportRow>): Promise<number> {
  try {
    return (await e.insert(ImportEntity, row)) as number
  } catch (err) {
    if (isUniqueViolation(err)) throw new HttpError(409, 'IMPORT_ALREADY_RUNNING')
    throw err
  }
}

function newImportRow(
  ctx: ModuleContext,
  caller: Caller,
  shopIds: string[],
  own: Pick<ImportRow, 'platform' | 'domain' | 'origin' | 'status'> & Partial<Pick<ImportRow, 'filePath' | 'fileSize' | 'runningKey'>>,
) {
  const now = ctx.clock.now()
  return {
    shopIds: [...new Set(shopIds)],
    credentials: null,
    fetched: 0,
    total: null,
    checkpoint: null,
    generation: emptyGeneration(),
    verification: null,
    filePath: null,
    fileSize: 0,
    fileCustomers: null,
    createdBy: caller.adminId,
    runningKey: null,
    leaseOwner: null,
    leaseUntil: null,
    createdAt: now,
    updatedAt: now,
    ...own,
  }
}

/** Zapisz i zleć import. One running fetch per source shop: a second one is refused. */
export async function createImport(ctx: ModuleContext, req: CreateImportRequest, caller: Caller): Promise<ImportRow> {
  const { credentials, shopIds } = req
  if (!connectorFor(credentials.platform)) throw new HttpError(422, 'PLATFORM_UNAVAILABLE')
  await assertShops(ctx, shopIds)
  await assertSourceAllowed(ctx, credentials.domain)
  const e = em(ctx)
  const id = await insertHoldingSource(e, newImportRow(ctx, caller, shopIds, {
    platform: credentials.platform,
    domain: credentials.domain,
    origin: 'source',
    status: 'awaiting_xml',
    runningKey: runningKeyOf(credentials.platform, credentials.domain),
  }))
  // sealed with the id as associated data: a sealed value cannot be moved to another import
  await e.nativeUpdate(ImportEntity, { id }, { credentials: sealCredentials(ctx, id, credentials) })
  ctx.settings.log('info', 'import created', { importId: id, platform: credentials.platform, domain: credentials.domain, by: caller.adminId })
  void startFetch(ctx, id).catch((err: unknown) => ctx.settings.log('error', 'fetch could not start', { importId: id, error: String(err) }))
  return getImport(ctx, id)
}

export async function createUploadedImport(ctx: ModuleContext, filePath: string, size: number, name: string, shopIds: string[], caller: Caller): Promise<ImportRow> {
  const id = (await em(ctx).insert(ImportEntity, newImportRow(ctx, caller, shopIds, {
    platform: '',
    domain: name.slice(0, 255),
    origin: 'upload',
    status: 'awaiting_verification',
    filePath,
    fileSize: size,
  }))) as number
  return getImport(ctx, id)
}

/** Sprawdź i zaimportuj: answers at once; the worker does the rest. */
export async function requestVerify(ctx: ModuleContext, id: number): Promise<void> {
  const row = await getImport(ctx, id)
  if (row.status === 'verifying') return // a double click: already running
  const moved = await moveStatus(ctx, em(ctx), id, ['awaiting_verification', 'verification_failed'], 'verifying', { verification: null })
  if (!moved) throw conflict()
  void startVerify(ctx, id).catch((err: unknown) => ctx.settings.log('error', 'verify could not start', { importId: id, error: String(err) }))
}

/** A failed fetch carries on from its checkpoint. */
export async function resumeFetch(ctx: ModuleContext, id: number): Promise<void> {
  const row = await getImport(ctx, id)
  if (!row.credentials) throw conflict()
  if (row.status === 'awaiting_xml') return
  try {
    const moved = await moveStatus(ctx, em(ctx), id, ['fetch_failed'], 'awaiting_xml', { runningKey: runningKeyOf(row.platform, row.domain) })
    if (!moved) throw conflict()
  } catch (err) {
    if (isUniqueViolation(err)) throw new HttpError(409, 'IMPORT_ALREADY_RUNNING')
    throw err
  }
  void startFetch(ctx, id).catch((err: unknown) => ctx.settings.log('error', 'fetch could not resume', { importId: id, error: String(err) }))
}

const DELETABLE: ImportStatus[] = ['awaiting_xml', 'fetch_failed', 'awaiting_verification', 'verification_failed', 'buffered', 'completed']

/**
 * usuń źródło: stops the fetch for good, forgets the credentials and removes the file.
 * During verification it is refused (409): the verifier holds the file; try again after it.
 * Customers imported already stay in the panel and in the lists.
 */
export async function deleteSource(ctx: ModuleContext, id: number): Promise<ImportRow> {
  const row = await getImport(ctx, id)
  if (row.status === 'source_deleted') return row
  if (row.status === 'verifying') throw conflict()
  const moved = await moveStatus(ctx, em(ctx), id, DELETABLE, 'source_deleted', { credentials: null, checkpoint: null })
  if (!moved) throw conflict()
  await cancelFetch(ctx, id)
  if (row.filePath) await removeImportFiles(row.filePath)
  await em(ctx).nativeUpdate(ImportEntity, { id }, { fileSize: 0 })
  ctx.settings.log('info', 'source deleted', { importId: id })
  return getImport(ctx, id)
}

export const isFetchRunning = (ctx: ModuleContext, id: number) => ctx.jobs.has(jobName('fetch', id))
