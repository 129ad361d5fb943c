/** Steps 7–8: Klienci niezaimportowani, edits, import and Pomiń. */
import { Hono } from 'hono'
import {
  BufferQuery,
  CustomerEdit,
  ImportCustomersRequest,
  PERMISSIONS,
  RestoreCustomersRequest,
  SkipCustomersRequest,
  type BufferedCustomer,
  type ImportCustomersResponse,
} from '@cm/contracts'
import type { ModuleContext } from '../context.ts'
import { em } from '../context.ts'
import type { BufferCustomerRow } from '../db/buffer-customer.entity.ts'
import { searchTextQuery, storedStates } from '../pipeline/buffer/buffer.query.ts'
import { listPage, rowsByIds } from '../pipeline/buffer/buffer.list.ts'
import { effectiveCustomer } from '../pipeline/buffer/buffer.rows.ts'
import { saveEdit } from '../pipeline/buffer/buffer.edit.ts'
import { getImport } from '../pipeline/import-job.service.ts'
import { importAll, importByIds, restore, skip } from '../pipeline/import/import.service.ts'
import { type Env, parseId, requirePermission, valid } from './env.ts'
import { conflict } from './http-error.ts'

const HAS_BUFFER = new Set(['buffered', 'completed', 'source_deleted'])

export function toBuffered(r: BufferCustomerRow): BufferedCustomer {
  return {
    id: String(r.id),
    sourceId: r.sourceId,
    state: r.state === 'importing' ? 'pending' : (r.state as BufferedCustomer['state']),
    customer: effectiveCustomer(r.data, r.edit),
    plannedLogin: r.login,
    edited: r.edit != null,
    errors: r.errors ?? [],
    updatedAt: r.updatedAt.toISOString(),
  }
}

async function importForBuffer(ctx: ModuleContext, rawId: string, mustAccept: boolean) {
  const imp = await getImport(ctx, parseId(rawId))
  if (mustAccept && imp.status !== 'buffered' && imp.status !== 'completed') throw conflict()
  return imp
}

export const bufferRoutes = (ctx: ModuleContext) =>
  new Hono<Env>()
    .use('/imports/:id/buffer/*', requirePermission(PERMISSIONS.importCustomers))
    .use('/imports/:id/buffer', requirePermission(PERMISSIONS.importCustomers))
    .get('/imports/:id/buffer', valid('query', BufferQuery), async (c) => {
      const q = c.req.valid('query')
      const imp = await importForBuffer(ctx, c.req.param('id'), false)
      if (!HAS_BUFFER.has(imp.status)) return c.json({ items: [], nextCursor: null, total: 0 }, 200)
      const e = em(ctx)
      const page = await listPage(e, {
        importId: imp.id,
        states: storedStates(q.state?.length ? q.state : ['pending', 'failed', 'skipped']),
        text: searchTextQuery(q.q),
        codes: q.errorCode?.length ? q.errorCode : undefined,
        cursor: q.cursor,
        limit: q.limit,
      })
      const rows = await rowsByIds(e, page.ids)
      return c.json({ items: rows.map(toBuffered), nextCursor: page.nextCursor, total: page.total, ...(page.totalCapped ? { totalCapped: true } : {}) }, 200)
    })
    .patch('/imports/:id/buffer/:customerId', valid('json', CustomerEdit), async (c) => {
      const imp = await importForBuffer(ctx, c.req.param('id'), true)
      const row = await saveEdit(ctx, em(ctx), imp.id, parseId(c.req.param('customerId')), c.req.valid('json'), c.get('locale'))
      return c.json(toBuffered(row), 200)
    })
    .post('/imports/:id/buffer/import', valid('json', ImportCustomersRequest), async (c) => {
      const imp = await importForBuffer(ctx, c.req.param('id'), true)
      const body = c.req.valid('json')
      if ('all' in body) {
        const queued = await importAll(ctx, imp, body.filter, c.get('locale'))
        return c.json({ results: [], imported: 0, failed: 0, queued } satisfies ImportCustomersResponse, 202)
      }
      const results = await importByIds(ctx, imp, body.ids.map(parseId), body.edits, c.get('locale'))
      const res: ImportCustomersResponse = {
        results,
        imported: results.filter((r) => r.state === 'imported').length,
        failed: results.filter((r) => r.state === 'failed').length,
        queued: 0,
      }
      return c.json(res, 200)
    })
    .post('/imports/:id/buffer/skip', valid('json', SkipCustomersRequest), async (c) => {
      const imp = await importForBuffer(ctx, c.req.param('id'), true)
      return c.json({ skipped: await skip(ctx, imp, c.req.valid('json').ids.map(parseId)) }, 200)
    })
    .post('/imports/:id/buffer/restore', valid('json', RestoreCustomersRequest), async (c) => {
      const imp = await importForBuffer(ctx, c.req.param('id'), true)
      return c.json({ restored: await restore(ctx, imp, c.req.valid('json').ids.map(parseId)) }, 200)
    })
