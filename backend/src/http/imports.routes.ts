/** Steps 4–6: the import list, creation, upload, details, file, events, usuń źródło, verify. */
import { createReadStream } from 'node:fs'
import { stat, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { randomUUID } from 'node:crypto'
import { Readable } from 'node:stream'
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { CreateImportRequest, ImportListQuery, ListQuery, PERMISSIONS, UploadShopIds, type ImportEvent } from '@cm/contracts'
import type { ModuleContext } from '../context.ts'
import { em } from '../context.ts'
import { ImportEntity } from '../db/import.entity.ts'
import { countsOf } from '../pipeline/buffer/buffer.counts.ts'
import { afterCursor, decodeCursor, pageOf } from '../pipeline/buffer/buffer.query.ts'
import { assertShops, createImport, createUploadedImport, deleteSource, getImport, requestVerify, resumeFetch } from '../pipeline/import-job.service.ts'
import { type Env, parseId, requirePermission, valid } from './env.ts'
import { HttpError } from './http-error.ts'
import { toDetails, toSummary } from './imports.view.ts'
import { receiveUpload } from './upload.ts'

const FILE_READY = new Set(['awaiting_verification', 'verifying', 'verification_failed', 'buffered', 'completed'])

async function details(ctx: ModuleContext, id: number) {
  const row = await getImport(ctx, id)
  const [counts, shops] = await Promise.all([countsOf(em(ctx), [id]), ctx.ports.shops.list()])
  const fileAvailable = Boolean(row.filePath && FILE_READY.has(row.status) && (await stat(row.filePath).catch(() => null)))
  return toDetails(row, counts.get(id)!, shops, fileAvailable)
}

export const importsRoutes = (ctx: ModuleContext) =>
  new Hono<Env>()
    .use('/imports/*', requirePermission(PERMISSIONS.importCustomers))
    .use('/imports', requirePermission(PERMISSIONS.importCustomers))
    .get('/imports', valid('query', ListQuery.extend(ImportListQuery.shape)), async (c) => {
      const q = c.req.valid('query')
      const e = em(ctx)
      const where = q.status?.length ? { status: { $in: q.status } } : {}
      // a cursor that is not one of ours (Infinity, a fraction, text) reads as no cursor, not as a 500
      const before = decodeCursor(q.cursor)
      const rows = await e.find(ImportEntity, before ? { ...where, id: { $lt: before } } : where, { orderBy: { id: 'desc' }, limit: q.limit + 1 })
      const total = await e.count(ImportEntity, where)
      const page = rows.slice(0, q.limit)
      const [counts, shops] = await Promise.all([countsOf(e, page.map((r) => r.id)), ctx.ports.shops.list()])
      const nextCursor = rows.length > q.limit ? Buffer.from(String(page[page.length - 1]!.id)).toString('base64url') : null
      return c.json({ items: page.map((r) => toSummary(r, counts.get(r.id)!, shops)), nextCursor, total }, 200)
    })
    .post('/imports', valid('json', CreateImportRequest), async (c) => {
      const row = await createImport(ctx, c.req.valid('json'), c.get('caller'))
      return c.json(await details(ctx, row.id), 201)
    })
    .post('/imports/upload', async (c) => {
      await mkdir(ctx.ports.storage.dir, { recursive: true })
      const target = path.join(ctx.ports.storage.dir, `upload-${randomUUID()}.xml`)
      const up = await receiveUpload(c.req.raw, target, ctx.settings.maxUploadBytes)
      const shopIds = UploadShopIds.safeParse(up.fields.shopIds ?? [])
      if (!shopIds.success) throw new HttpError(400, 'VALIDATION_FAILED', undefined, [{ path: 'shopIds', message: 'choose at least one shop' }])
      await assertShops(ctx, shopIds.data)
      const row = await createUploadedImport(ctx, up.path, up.size, up.filename, shopIds.data, c.get('caller'))
      return c.json(await details(ctx, row.id), 201)
    })
    .get('/imports/:id', async (c) => c.json(await details(ctx, parseId(c.req.param('id'))), 200))
    .get('/imports/:id/file', async (c) => {
      const row = await getImport(ctx, parseId(c.req.param('id')))
      const info = row.filePath && FILE_READY.has(row.status) ? await stat(row.filePath).catch(() => null) : null
      if (!row.filePath || !info) throw new HttpError(409, 'FILE_NOT_AVAILABLE')
      const body = Readable.toWeb(createReadStream(row.filePath)) as unknown as ReadableStream
      return c.body(body, 200, {
        'content-type': 'application/xml; charset=utf-8',
        'content-length': String(info.size),
        'content-disposition': `attachment; filename="klienci-import-${row.id}.xml"`,
      })
    })
    .get('/imports/:id/events', async (c) => {
      const id = parseId(c.req.param('id'))
      const first = await details(ctx, id)
      return streamSSE(c, async (s) => {
        let seq = 0
        const send = (e: ImportEvent) => s.writeSSE({ event: e.type, id: String(++seq), data: JSON.stringify(e) })
        const queue: ImportEvent[] = []
        let wake: (() => void) | null = null
        const unsubscribe = ctx.events.subscribe(String(id), (e) => {
          queue.push(e)
          wake?.()
        })
        s.onAbort(() => {
          unsubscribe()
          wake?.()
        })
        await send({ type: 'status', importId: first.id, status: first.status })
        await send({ type: 'progress', importId: first.id, progress: first.progress })
        await send({ type: 'counts', importId: first.id, counts: first.counts })
        while (!s.aborted && !s.closed) {
          while (queue.length) await send(queue.shift()!)
          await new Promise<void>((r) => {
            wake = r
            setTimeout(r, 15_000).unref()
          })
          wake = null
          if (queue.length === 0 && !s.aborted) await s.write(': keep-alive\n\n')
        }
        unsubscribe()
      })
    })
    .delete('/imports/:id/source', async (c) => {
      const row = await deleteSource(ctx, parseId(c.req.param('id')))
      return c.json(await details(ctx, row.id), 200)
    })
    .post('/imports/:id/verify', async (c) => {
      const id = parseId(c.req.param('id'))
      await requestVerify(ctx, id)
      return c.json(await details(ctx, id), 202)
    })
    .post('/imports/:id/resume', async (c) => {
      const id = parseId(c.req.param('id'))
      await resumeFetch(ctx, id)
      return c.json(await details(ctx, id), 202)
    })
